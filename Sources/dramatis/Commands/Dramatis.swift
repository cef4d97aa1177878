import ArgumentParser
import DramatisApp
import Foundation
import PersonaKit

@main
struct Dramatis: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dramatis",
    abstract: "Define agent personas and bind them to where a model gets chosen.",
    discussion: "Without a subcommand, opens the terminal app.",
    version: "0.1.0",
    subcommands: [Personas.self, Validate.self, Resolve.self, RunTrack.self, GalleryCommand.self, Render.self]
  )

  @OptionGroup var global: GlobalOptions

  /// Opens the terminal app.
  func run() throws {
    var app = DramatisApp(workspace: try reporting { try global.workspace() })
    try LiveTerminal.run(&app)
  }

  /// Global options may stand before the subcommand (`dramatis --config-dir D personas list`):
  /// they are moved behind the subcommand's name so that ArgumentParser finds them there.
  static func main() async {
    var args = Array(CommandLine.arguments.dropFirst())
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
  static let withValue: Set<String> = ["--config-dir", "--project"]
  static let subcommandWords: Set<String> = [
    "personas", "validate", "resolve", "run", "gallery", "render", "list", "show", "create", "delete", "rename",
    "duplicate",
    "export", "import",
  ]

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
