import Foundation
import PersonaKit
import Testing

/// The rules on the command line: every command asks the same rules, says what a user needs,
/// and changes no file it was not asked to change.
@Suite struct RulesCLITests {
  /// Every file of the config dir with its bytes (the lock file aside).
  func snapshot(_ cli: CLI) -> [String: Data] {
    var out: [String: Data] = [:]
    let e = FileManager.default.enumerator(atPath: cli.configDir.path)
    while let p = e?.nextObject() as? String {
      if let d = FileManager.default.contents(atPath: cli.configDir.appendingPathComponent(p).path) { out[p] = d }
    }
    return out
  }

  @Test func renderNeverWritesAFile() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    try cli.run(["validate"])
    let before = snapshot(cli)
    let save = try cli.run(["render", "ai-settings", "--keys", "F5 Tab Tab End X C-s"])
    #expect(save.status == 0)
    #expect(save.stdout.contains("would save personas.toml"), "\(save.stdout)")
    // Revert all, a tier, a dry run from the dashboard, a ticket save.
    try cli.run(["render", "ai-settings", "--keys", String(repeating: "Tab ", count: 8) + "Enter"])
    try cli.run(["render", "mma", "--keys", "Tab Tab Enter Down Enter"])
    let dry = try cli.run(["render", "mma", "--keys", "Tab Tab Tab Tab Tab Enter"])
    #expect(dry.stdout.contains("not started"), "\(dry.stdout)")
    try cli.run(["render", "tickets", "--keys", "Tab Tab End x C-s"])
    #expect(snapshot(cli) == before)
  }

  @Test func runRefusesWhatValidateRejectsAndRehearsesADryRun() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    try cli.run(["validate"])
    let track = try #require(cli.file("tracks/auth.toml"))
    let dry = try cli.run(["run", "auth"])
    #expect(dry.status == 0)
    #expect(dry.stdout.contains("6 done") && dry.stdout.contains("the track file is unchanged"))
    #expect(cli.file("tracks/auth.toml") == track)
    let broken = track.replacingOccurrences(of: "persona_id = \"Security Reviewer\"", with: "persona_id = \"Nope\"")
    try cli.write("tracks/auth.toml", broken)
    let refused = try cli.run(["run", "auth"])
    #expect(refused.status == 1)
    #expect(
      refused.stderr.contains("tracks/auth.toml:30:1: ticket T-004 persona_id: unknown persona \"Nope\""),
      "\(refused.stderr)")
    let forced = try cli.run(["run", "auth", "--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(forced.stdout.contains("error (--force)"))
    let nope = try cli.run(["run", "auh"])
    #expect(nope.stderr.contains("no track named \"auh\" (did you mean \"auth\"?); tracks: auth"), "\(nope.stderr)")
  }

  @Test func aFinishedTrackHintsAtReset() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    try cli.run(["validate"])
    let done = try #require(cli.file("tracks/auth.toml")).replacingOccurrences(
      of: "status = \"todo\"", with: "status = \"done\"")
    try cli.write("tracks/auth.toml", done)
    let r = try cli.run(["run", "auth"])
    #expect(r.stderr.contains("nothing to run: every ticket is done (--reset starts over)"), "\(r.stderr)")
  }

  @Test func smallGapsGetTheMessageAUserNeeds() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    try cli.run(["validate"])
    let same = try cli.run(["personas", "rename", "Worker", "Worker"])
    #expect(same.status == 1 && same.stderr.contains("already named \"Worker\""))
    let show = try cli.run(["personas", "show", "worker"])
    #expect(show.stderr.contains("no persona named \"worker\" (did you mean \"Worker\"?)"))
    let created = try cli.run(["personas", "create", "X", "--model", "gpt-5"])
    #expect(created.status == 0, "\(created.stderr)")
    #expect(
      try cli.json(["personas", "show", "X", "--json"])["preferred_models"]?.array?.first?["provider"]
        == .string("openai"))
    let negative = try cli.run([
      "personas", "create", "Y", "--provider", "openai", "--model", "gpt-5", "--max-output-tokens", "-5",
    ])
    #expect(negative.status == 1)
    #expect(negative.stderr.contains("max_output_tokens: must be greater than 0, found -5"), "\(negative.stderr)")
  }

  @Test func importGoesThroughCreatesRulesAndNamesEveryRefusal() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    try cli.run(["validate"])
    let before = snapshot(cli)
    let empty = try cli.run(["personas", "import", "-"], stdin: #"{"personas":{"":{},"Worker":{},"Tech Lead":{}}}"#)
    #expect(empty.status == 1)
    #expect(empty.stderr.contains("3 errors"))
    #expect(empty.stderr.contains("needs a name that is not empty"))
    #expect(empty.stderr.contains("\"Worker\" already exists") && empty.stderr.contains("\"Tech Lead\" already exists"))
    let array = try cli.run(["personas", "import", "-"], stdin: "[1, 2]")
    #expect(array.stderr.contains("the file is a JSON array"), "\(array.stderr)")
    let typo = #"{"personas":{"Z":{"colour":"red"}}}"#
    let dry = try cli.run(["personas", "import", "--dry-run", "-"], stdin: typo)
    #expect(dry.status == 0)
    #expect(dry.stdout.contains("would import 1 persona(s)"))
    #expect(dry.stderr.contains("unknown key \"colour\", kept"))
    #expect(snapshot(cli) == before)
    let real = try cli.run(["personas", "import", "-"], stdin: typo)
    #expect(real.status == 0)
    let v = try cli.run(["validate"])
    #expect((v.stdout + v.stderr).contains("[personas.Z] colour: unknown key \"colour\", kept"), "\(v)")
  }
}
