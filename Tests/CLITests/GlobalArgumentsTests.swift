import ArgumentParser
import Testing

@testable import dramatis

/// The command line that only opens the app is read without ArgumentParser's command tree; it
/// must mean what ArgumentParser would make of it, and leave everything else to ArgumentParser.
@Suite struct GlobalArgumentsTests {
  @Test func theAppsOwnCommandLineMeansWhatArgumentParserReads() throws {
    let lines: [[String]] = [
      [],
      ["--config-dir", "/tmp/a"],
      ["--config-dir=/tmp/a"],
      ["--project", "p"],
      ["--project=p", "--config-dir", "/tmp/a b"],
      ["--config-dir", "/tmp/ä 漢字", "--project", "."],
    ]
    for args in lines {
      let fast = try #require(GlobalArguments.onlyGlobals(args), "\(args)")
      let parsed = try GlobalOptions.parse(args)
      #expect(fast.configDir == parsed.configDir, "\(args)")
      #expect(fast.project == parsed.project, "\(args)")
    }
  }

  @Test func everythingElseGoesToArgumentParser() {
    let others: [[String]] = [
      ["--help"], ["-h"], ["--version"], ["validate"], ["personas", "list"],
      ["--config-dir"], ["--config-dir", "--project", "x"], ["--config-dir="],
      ["--config-dir", "a", "--config-dir", "b"], ["--config-dir", "a", "extra"],
      ["--configdir", "a"], ["--config-dir", "-x"], ["--"],
    ]
    for args in others {
      #expect(GlobalArguments.onlyGlobals(args) == nil, "\(args)")
    }
  }

  /// Every command names itself: without a name ArgumentParser derives one from the type's name
  /// with `String(describing:)`, which in the statically linked program scans the runtime's
  /// conformance records (8 M instructions for `--version`). And the global options can be put
  /// before each of them, which needs every name in `subcommandWords`.
  @Test func everyCommandNamesItselfAndTakesGlobalsBeforeIt() {
    var missing: [String] = []
    var unknown: [String] = []
    func walk(_ command: ParsableCommand.Type, root: Bool) {
      let name = command.configuration.commandName
      if name == nil { missing.append("\(command)") }
      if !root, let name, !GlobalArguments.subcommandWords.contains(name) { unknown.append(name) }
      for sub in command.configuration.subcommands { walk(sub, root: false) }
    }
    walk(Dramatis.self, root: true)
    #expect(missing.isEmpty, "commands without commandName: \(missing)")
    #expect(unknown.isEmpty, "not in GlobalArguments.subcommandWords: \(unknown)")
  }
}
