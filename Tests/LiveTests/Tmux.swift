import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One tmux server for one live test: its own socket, a session of a given size, keys in,
/// screen out. Always `kill()` it (tests use `defer`).
final class Tmux {
  let socket = "dramatis-live-\(UUID().uuidString.prefix(8))"
  let dir: URL

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  /// The built `dramatis`, next to the test bundle.
  static var binary: String {
    let candidates = [
      Bundle.main.bundleURL.appendingPathComponent("dramatis"),
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dramatis"),
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/dramatis"),
    ]
    return (candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!).path
  }

  /// Runs a tmux command and returns its output.
  ///
  /// Not with Foundation's `Process`: the server that `new-session` starts inherits the client's
  /// descriptors, among them the one `Process` watches to see the child end, so it never would.
  /// `posix_spawn` and `waitpid` wait for the client alone; its output goes through a file.
  @discardableResult
  func tmux(_ args: [String]) throws -> String {
    let outFile = dir.appendingPathComponent("tmux-out-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: outFile) }
    let status = Spawn.run(["/usr/bin/env", "tmux", "-L", socket, "-f", "/dev/null"] + args, output: outFile.path)
    let text = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
    if status != 0 && args.first != "kill-server" {
      throw TmuxError(description: "tmux \(args.joined(separator: " ")) exited \(status): \(text)")
    }
    return text
  }

  struct TmuxError: Error, CustomStringConvertible { var description: String }

  /// Starts a detached session running `command` in `sh`, at the given size.
  func start(_ command: String, width: Int = 100, height: Int = 30, env: [String: String] = [:]) throws {
    var envArgs: [String] = []
    for (k, v) in env.sorted(by: { $0.key < $1.key }) { envArgs += ["-e", "\(k)=\(v)"] }
    try tmux(
      ["new-session", "-d", "-x", "\(width)", "-y", "\(height)"] + envArgs + ["sh", "-c", command])
    try tmux(["set-option", "-g", "remain-on-exit", "on"])
  }

  func send(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

  /// Types text literally.
  func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }

  /// Pastes text as a bracketed paste.
  func paste(_ text: String) throws {
    let file = dir.appendingPathComponent("paste.txt")
    try text.write(to: file, atomically: true, encoding: .utf8)
    try tmux(["load-buffer", file.path])
    try tmux(["paste-buffer", "-p"])
  }

  func screen() throws -> String { try tmux(["capture-pane", "-p"]) }

  func lines() throws -> [String] {
    try screen().split(separator: "\n", omittingEmptySubsequences: false).map { l in
      var s = String(l)
      while s.hasSuffix(" ") { s.removeLast() }
      return s
    }
  }

  func resize(_ width: Int, _ height: Int) throws {
    try tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
  }

  /// Waits until the screen satisfies `condition` (polling, up to `timeout` seconds). Returns the
  /// last screen; the caller checks `condition` again to fail with it.
  @discardableResult
  func wait(timeout: Double = 10, _ condition: (String) -> Bool) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var s = try screen()
    while !condition(s) && Date() < deadline {
      usleep(30_000)
      s = try screen()
    }
    return s
  }

  func waitFor(_ text: String, timeout: Double = 10) throws -> String {
    try wait(timeout: timeout) { $0.contains(text) }
  }

  /// Starts `dramatis --config-dir CONFIG` at 120x40 (xterm-256color) with every byte it writes
  /// recorded into `out`: the program waits for Enter, so that nothing is written before the
  /// recording starts.
  func startRecorded(config: URL, out: URL) throws {
    try start(
      "read go; exec \(Tmux.binary) --config-dir \(config.path)", width: 120, height: 40,
      env: ["TERM": "xterm-256color"])
    try recordOutput(to: out)
    try send("Enter")
    _ = try waitFor("AI Settings")
  }

  /// Records every byte the program writes to the pane into a file.
  func recordOutput(to file: URL) throws {
    try tmux(["pipe-pane", "-o", "cat > '\(file.path)'"])
  }

  func kill() {
    // The server's pid first: a server whose panes have all ended has been seen to survive
    // kill-server (tmux 3.3a); then it is killed outright.
    let pid = (try? tmux(["display-message", "-p", "#{pid}"])).flatMap {
      Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    _ = try? tmux(["kill-server"])
    if let pid, pid > 1 {
      for _ in 0..<20 where Glibc.kill(pid, 0) == 0 { usleep(10_000) }
      if Glibc.kill(pid, 0) == 0 { Glibc.kill(pid, SIGKILL) }
    }
    try? FileManager.default.removeItem(at: dir)
  }
}

/// `posix_spawn` + `waitpid`, output (stdout and stderr) to a file, input from /dev/null.
enum Spawn {
  /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
  /// module does not export: looked up by name.
  static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
      return nil
    }
    return unsafeBitCast(
      sym, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
  }()

  static func run(_ argv: [String], output: String) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Nothing else of this process goes to the child: a tmux server outlives the call, and a
    // descriptor it inherited (the pipe through which Foundation's `Process` sees a child of a
    // test running in parallel end) would keep that test waiting for ever.
    _ = closeFrom?(&actions, 3)
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
    guard rc == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }
}
