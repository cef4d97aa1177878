import ArgumentParser
import DramatisApp
import FoundationEssentials
import PersonaKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@main
struct Dramatis: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dramatis",
    abstract: "Define agent personas and bind them to where a model gets chosen.",
    discussion: "Without a subcommand, opens the terminal app.",
    version: "0.1.0",
    subcommands: [
      Personas.self, Validate.self, Resolve.self, RunTrack.self, GalleryCommand.self, Render.self,
      HistoryCommand.self, Undo.self, Diff.self, SyncCommand.self,
    ]
  )

  @OptionGroup var global: GlobalOptions

  /// Opens the terminal app.
  func run() throws {
    try Self.openApp(global.paths)
  }

  static func openApp(_ paths: ConfigPaths) throws {
    var app = DramatisApp(workspace: try reporting { try GlobalOptions.workspace(paths) })
    try LiveTerminal.run(&app)
    // The terminal is given back and every save is on disk: freeing the whole configuration on
    // the way out (with 10,000 personas ~20 ms after Ctrl-Q) would only hold the shell's prompt
    // back. The process ends here, as it would a moment later.
    endProcess(0)
  }

  /// Global options may stand before the subcommand (`dramatis --config-dir D personas list`):
  /// they are moved behind the subcommand's name so that ArgumentParser finds them there.
  static func main() async {
    var args = Array(CommandLine.arguments.dropFirst())
    // The app itself (no subcommand, at most the two global options) opens without building
    // ArgumentParser's tree of every command: that took 3 ms of a 30 ms start (reflection and
    // protocol-conformance scans) and its pages of memory (docs/performance.md).
    if let globals = GlobalArguments.onlyGlobals(args) {
      do {
        try openApp(ConfigPaths.resolve(configDir: globals.configDir, project: globals.project))
      } catch {
        exit(withError: error)
      }
      return
    }
    args = GlobalArguments.reorder(args)
    do {
      var command = try parseAsRoot(args)
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }
}

enum GlobalArguments {
  static let withValue = Set(ConfigPaths.optionNames)
  static let subcommandWords: Set<String> = [
    "personas", "validate", "resolve", "run", "gallery", "render", "list", "show", "create", "delete", "rename",
    "duplicate",
    "export", "import", "history", "undo", "diff", "sync",
  ]

  /// The two global options when the arguments hold nothing else (each at most once, with a
  /// value that does not look like an option): the command line that just opens the app. Any
  /// other command line (help, version, a subcommand, a mistake) is left to ArgumentParser.
  static func onlyGlobals(_ args: [String]) -> (configDir: String?, project: String?)? {
    var values: [String: String] = [:]
    var i = 0
    while i < args.count {
      let a = args[i]
      let name: String
      let value: String
      if withValue.contains(a), i + 1 < args.count {
        name = a
        value = args[i + 1]
        i += 2
      } else if let eq = a.firstIndex(of: "="), withValue.contains(String(a[..<eq])) {
        name = String(a[..<eq])
        value = String(a[a.index(after: eq)...])
        i += 1
      } else {
        return nil
      }
      guard !value.isEmpty, !value.hasPrefix("-"), values[name] == nil else { return nil }
      values[name] = value
    }
    return (values["--config-dir"], values["--project"])
  }

  /// Moves global options that come before the subcommand words to just after them.
  static func reorder(_ args: [String]) -> [String] {
    var globals: [String] = []
    var rest: [String] = []
    var i = 0
    var inPrefix = true
    while i < args.count {
      let a = args[i]
      if a == "--" {
        rest += args[i...]
        break
      }
      if inPrefix, withValue.contains(a), i + 1 < args.count {
        globals += [a, args[i + 1]]
        i += 2
        continue
      }
      if inPrefix, withValue.contains(where: { a.hasPrefix($0 + "=") }) {
        globals.append(a)
        i += 1
        continue
      }
      if inPrefix && !subcommandWords.contains(a) && !a.hasPrefix("-") { inPrefix = false }
      if inPrefix && subcommandWords.contains(a) {
        rest.append(a)
        i += 1
        // The last subcommand word ends the prefix: globals go right after it.
        if i >= args.count || !subcommandWords.contains(args[i]) {
          rest += globals
          globals = []
          inPrefix = false
        }
        continue
      }
      rest.append(a)
      i += 1
    }
    return rest + globals
  }
}

/// Ends the process now (the C library's `exit`: stdio flushed, `atexit` handlers run), without
/// returning through the frames that would free what they hold.
func endProcess(_ status: Int32) -> Never {
  #if canImport(Glibc)
    Glibc.exit(status)
  #else
    Darwin.exit(status)
  #endif
}
