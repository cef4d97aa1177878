import ArgumentParser
import DramatisResources
import FoundationEssentials
import PersonaKit

/// The options every command takes. They may stand anywhere on the command line.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: .customLong("config-dir"),
    help:
      "The global config dir (default: $DRAMATIS_CONFIG_DIR, else $XDG_CONFIG_HOME/dramatis, else ~/.config/dramatis).")
  var configDir: String?

  @Option(help: "The project dir (default: .dramatis/ in the current directory when present).")
  var project: String?

  var paths: ConfigPaths { ConfigPaths.resolve(configDir: configDir, project: project) }

  /// Loads the configuration, filling a new config dir with the shipped defaults first.
  func workspace() throws -> Workspace { try Self.workspace(paths) }

  static func workspace(_ paths: ConfigPaths) throws -> Workspace {
    do {
      if try Workspace.bootstrap(paths.global, files: DefaultConfigFiles.files) {
        Output.note("created \(paths.global.path) with the default configuration")
      }
    } catch {
      throw CLIError("cannot create the config dir with the default configuration: \(error.description)")
    }
    return Workspace.load(paths)
  }
}

/// A failure the CLI reports as `dramatis: message` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  init(_ message: String) { description = message }
}

enum Output {
  /// Prints text from the data: control characters escaped, newlines kept.
  static func print(_ text: String) {
    Swift.print(TerminalSafe.escapeKeepingNewlines(text))
  }

  /// Prints one line at once, unbuffered: progress that is followed as it happens, also through
  /// a pipe or into a file (`dramatis run t | tee run.log`), where `print` would hold it back.
  static func line(_ text: String) {
    Descriptor.writeAll(1, Array((TerminalSafe.escapeKeepingNewlines(text) + "\n").utf8))
  }

  static func note(_ text: String) {
    Descriptor.writeAll(2, Array("dramatis: \(TerminalSafe.escapeKeepingNewlines(text))\n".utf8))
  }

  /// A line on stderr without the `dramatis:` prefix (the lines under a note).
  static func noteLine(_ text: String) {
    Descriptor.writeAll(2, Array("\(TerminalSafe.escapeKeepingNewlines(text))\n".utf8))
  }

  static func json(_ value: JSONValue) {
    Swift.print(JSONWriter.write(value))
  }
}

/// Runs a body, turning PersonaKit's errors into `dramatis: …` and exit code 1.
func reporting<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch .refused(let problems) as ConfigError {
    Output.note(problems.count == 1 ? "not saved:" : "not saved: \(problems.count) errors:")
    for d in problems { Output.noteLine("  " + (d.subject.isEmpty ? "" : "\(d.subject): ") + d.message) }
    throw ExitCode(1)
  } catch let e as ConfigError {
    Output.note(e.description)
    throw ExitCode(1)
  } catch let e as CLIError {
    Output.note(e.description)
    throw ExitCode(1)
  } catch let e as Resolver.Failure {
    Output.note(e.description)
    throw ExitCode(1)
  }
}
