import Testing

@testable import DramatisApp

/// The config directory in the status line, with the home directory written `~`.
@Suite struct StatusLineTests {
  @Test(arguments: [
    ("/home/ann/.config/dramatis", "/home/ann", "~/.config/dramatis"),
    ("/home/ann", "/home/ann", "~"),
    ("/home/ann/.config/dramatis", "/home/ann/", "~/.config/dramatis"),
    // Only where the home directory ends, and only at the start.
    ("/home/anna/.config/dramatis", "/home/ann", "/home/anna/.config/dramatis"),
    ("/srv/home/ann/dramatis", "/home/ann", "/srv/home/ann/dramatis"),
    ("/home/ann/x/home/ann/y", "/home/ann", "~/x/home/ann/y"),
    // No home, or a home of `/`, abbreviates nothing.
    ("/etc/dramatis", "", "/etc/dramatis"),
    ("/etc/dramatis", "/", "/etc/dramatis"),
  ])
  func homeIsWrittenTilde(path: String, home: String, shown: String) {
    #expect(DramatisApp.abbreviatingHome(path, home: home) == shown)
  }
}
