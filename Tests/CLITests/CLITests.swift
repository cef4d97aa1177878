import Foundation
import PersonaKit
import Testing

/// The command line end to end, against the built binary and a temporary config dir.
@Suite struct CLITests {
  @Test func firstUseFillsTheConfigDirAndValidatePasses() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let r = try cli.run(["validate"])
    #expect(r.status == 0)
    #expect(r.stderr.contains("created \(cli.configDir.path) with the default configuration"))
    #expect(r.stderr.contains("0 errors, 0 warnings"))
    #expect(cli.file("personas.toml") != nil && cli.file("tracks/auth.toml") != nil)
  }

  /// The defaults are built into the binary: a config dir that cannot be made is the one failure
  /// left, said with its place, for a command and for the app.
  @Test func aConfigDirThatCannotBeMadeIsSaidWithItsPlace() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    for args in [["--config-dir", "/dev/null/cfg", "validate"], ["--config-dir", "/dev/null/cfg"]] {
      let r = try cli.run(args)
      #expect(r.status == 1)
      #expect(
        r.stderr.hasPrefix("dramatis: cannot create the config dir with the default configuration: /dev/null/cfg/"),
        "\(r.stderr)")
      #expect(r.stderr.contains("Not a directory"), "\(r.stderr)")
    }
  }

  @Test func noSubcommandOpensTheAppWhichNeedsATerminal() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let r = try cli.run([])
    #expect(r.status == 1)
    #expect(r.stderr.contains("standard input and output must be a terminal"))
  }

  @Test func theAppWithItsOptionsInEitherFormFillsTheConfigDirThenNeedsATerminal() throws {
    for form in ["spaced", "joined"] {
      let cli = try CLI()
      defer { cli.cleanup() }
      let project = cli.configDir.appendingPathComponent("project").path
      let args =
        form == "spaced"
        ? ["--config-dir", cli.configDir.path, "--project", project]
        : ["--project=\(project)", "--config-dir=\(cli.configDir.path)"]
      let r = try cli.run(args)
      #expect(r.status == 1)
      #expect(r.stderr.contains("created \(cli.configDir.path) with the default configuration"))
      #expect(r.stderr.contains("standard input and output must be a terminal"))
      #expect(cli.file("personas.toml") != nil)
    }
  }

  @Test func aMistakeBesideTheGlobalOptionsIsStillArgumentParsersMessage() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let r = try cli.run(["--config-dir", cli.configDir.path, "--config-dir"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("Missing value for '--config-dir <config-dir>'"))
  }

  @Test func configDirComesFromTheEnvironmentAndGlobalOptionsMayComeFirst() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let env = try cli.run(
      ["personas", "list", "--config-dir", "/dev/null/x"].dropLast(2).map { $0 },
      environment: ["DRAMATIS_CONFIG_DIR": cli.configDir.path])
    #expect(env.status == 0)
    #expect(env.stdout.contains("Security Reviewer"))
    let first = try cli.run(["--config-dir", cli.configDir.path, "personas", "show", "Worker"])
    #expect(first.status == 0)
    #expect(first.stdout.contains("Execution-Focused"))
  }

  @Test func listAndShowAsJSON() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let list = try cli.json(["personas", "list", "--json"])
    let names = list.array?.compactMap { $0["name"]?.string }
    #expect(names == ["Orchestrator", "Tech Lead", "Worker", "QA Analyst", "Security Reviewer"])
    let show = try cli.json(["personas", "show", "Security Reviewer", "--json"])
    #expect(show["scope"]?.string == "global")
    #expect(show["tool_preset_id"]?.string == "Read-only")
    #expect(show["preferred_models"]?.array?.first?["model"]?.string == "claude-sonnet-4-5")
    #expect(show["tier_assignments"]?["tier4"]?["max_output_tokens"]?.number == 2048)
    #expect(show["used_by"]?.array == [.string("track auth ticket T-004")])
    let missing = try cli.run(["personas", "show", "Nobody"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no persona named \"Nobody\""))
  }

  @Test func createValidatesThenSaves() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let bad = try cli.run([
      "personas", "create", "Hot", "--provider", "anthropic", "--model", "claude-sonnet-4-5", "--temperature", "1.7",
      "--tool-preset", "Nope",
    ])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("temperature: 1.7 is outside anthropic's range 0.0–1.0"))
    #expect(bad.stderr.contains("unknown tool preset \"Nope\""))
    #expect(!(cli.file("personas.toml") ?? "").contains("Hot"))
    let ok = try cli.json([
      "personas", "create", "Docs 文書", "--provider", "openai", "--model", "gpt-5", "--temperature", "1.7",
      "--preset", "Worker base", "--json",
    ])
    #expect(ok["name"]?.string == "Docs 文書")
    #expect(ok["preferred_models"]?.array?.first?["temperature"]?.number == 1.7)
    #expect(cli.file("personas.toml")?.contains("[personas.\"Docs 文書\"]") == true)
    let again = try cli.run(["personas", "create", "Docs 文書"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("already exists"))
  }

  @Test func deleteRenameDuplicate() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let refused = try cli.run(["personas", "delete", "Worker"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("is in use by: mma.toml tier3; mma.toml default_persona; ai_settings.toml persona"))
    let renamed = try cli.run(["personas", "rename", "Security Reviewer", "AppSec"])
    #expect(renamed.status == 0)
    #expect(renamed.stdout.contains("updated reference: track auth ticket T-004"))
    #expect(cli.file("tracks/auth.toml")?.contains("persona_id = \"AppSec\"") == true)
    let dup = try cli.run(["personas", "duplicate", "AppSec"])
    #expect(dup.stdout.contains("as \"AppSec (copy)\""))
    let forced = try cli.run(["personas", "delete", "Worker", "--force"])
    #expect(forced.status == 0)
    #expect(forced.stdout.contains("cleared reference: mma.toml tier3"))
    #expect(!(cli.file("mma.toml") ?? "").contains("Worker"))
    #expect(try cli.run(["validate"]).status == 0)
  }

  @Test func exportAndImportRoundTrip() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let toml = try cli.run(["personas", "export", "Worker", "QA Analyst"])
    #expect(toml.status == 0)
    #expect(toml.stdout.hasPrefix("[personas.Worker]"))
    let json = try cli.run(["personas", "export", "--json"])
    let parsed = try JSONParser.parse(json.stdout)
    #expect(parsed["personas"]?.object?.count == 5)
    // Import into a fresh config dir: from TOML on stdin, then from a JSON file.
    let other = try CLI()
    defer { other.cleanup() }
    _ = try other.run(["personas", "delete", "Worker", "--force"])
    let imported = try other.run(["personas", "import", "-"], stdin: toml.stdout)
    #expect(imported.status == 1)  // QA Analyst exists there
    #expect(imported.stderr.contains("already exists"))
    #expect(try other.run(["personas", "import", "-", "--replace"], stdin: toml.stdout).status == 0)
    #expect(try other.json(["personas", "show", "Worker", "--json"])["system_prompt"]?.string != nil)
    let file = other.configDir.appendingPathComponent("in.json")
    try "{\"personas\": {\"From JSON\": {\"description\": \"j\", \"tool_preset_id\": \"Full\"}}}".write(
      to: file, atomically: false, encoding: .utf8)
    #expect(try other.run(["personas", "import", file.path]).status == 0)
    #expect(try other.json(["personas", "show", "From JSON", "--json"])["tool_preset_id"]?.string == "Full")
    try "{\"personas\": {\"Bad\": {\"description\": 3,}}}".write(to: file, atomically: false, encoding: .utf8)
    let bad = try other.run(["personas", "import", file.path])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("in.json:1:40: expected a key in double quotes"))
  }

  @Test func validateReportsPlacesAndExits1() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    _ = try cli.run(["validate"])
    try cli.write("mma.toml", "[tiers]\ntier3 = \"Ghost\"\n")
    try cli.write("presets.toml", "[presets.A]\nsystem_prompt = \"x\"\ntemperature = [\n")
    let r = try cli.run(["validate"])
    #expect(r.status == 1)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let mma = cli.configDir.appendingPathComponent("mma.toml").path
    let presets = cli.configDir.appendingPathComponent("presets.toml").path
    #expect(lines.contains("\(mma):2:1: [tiers] tier3: unknown persona \"Ghost\""))
    #expect(lines.contains { $0.hasPrefix("\(presets):3:15: ") && $0.contains("unterminated array") })
    let json = try cli.json(["validate", "--json"])
    #expect(json["ok"] == .bool(false))
    #expect((json["errors"]?.number ?? 0) >= 2)
  }

  @Test func resolveWithBlameAsTextAndJSON() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let text = try cli.run(["resolve", "--track", "auth", "--ticket", "T-004", "--blame"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("persona               Security Reviewer  ticket_override"))
    #expect(text.stdout.contains("model                 gemini-2.5-flash   1. ticket T-004 model_override"))
    let j = try cli.json(["resolve", "--tier", "4", "--retry", "9", "--json", "--blame"])
    #expect(j["persona"]?["name"]?.string == "QA Analyst")
    #expect(j["persona"]?["source"]?.string == "tier_assignment")
    #expect(j["model"]?["value"]?.string == "claude-sonnet-4-5")
    #expect(j["model"]?["origin"]?.string == "preferred_models")
    #expect(j["model"]?["layer"]?.number == 3)
    #expect(j["retry"]?.number == 9)
    let plain = try cli.json(["resolve", "--tier", "1", "--json"])
    #expect(plain["model"]?.string == "claude-opus-4-1")
    let bad = try cli.run(["resolve", "--tier", "7"])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("tier 7 does not exist"))
    let usage = try cli.run(["resolve"])
    #expect(usage.status != 0 && usage.status != 1)
  }

  @Test func controlCharactersInDataNeverReachTheTerminalRaw() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    _ = try cli.run(["validate"])
    try cli.write(
      "personas.toml",
      (cli.file("personas.toml") ?? "")
        + "\n[personas.\"Evil\\u001b]0;owned\\u0007\"]\ndescription = \"\\u009b2J bad\"\n")
    for args in [["personas", "list"], ["personas", "list", "--json"], ["personas", "export"], ["validate"]] {
      let r = try cli.run(args)
      for byte in Array((r.stdout + r.stderr).utf8) {
        #expect(byte != 0x1B && byte != 0x07, "raw control byte in \(args)")
      }
      #expect(!(r.stdout + r.stderr).unicodeScalars.contains("\u{9B}"), "raw C1 in \(args)")
    }
    #expect(try cli.run(["personas", "list"]).stdout.contains("Evil^[]0;owned^G"))
  }

  @Test func aBrokenFileIsNeverOverwrittenByTheCLI() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    _ = try cli.run(["validate"])
    let broken = "[personas.A\ndescription = 1\n"
    try cli.write("personas.toml", broken)
    let r = try cli.run(["personas", "create", "B"])
    #expect(r.status == 1)
    #expect(r.stderr.contains("personas.toml"))
    #expect(cli.file("personas.toml") == broken)
  }
}

@Suite struct CLIProjectScopeTests {
  @Test func projectPersonasReplaceGlobalOnesAndCreateGoesWhereAsked() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let project = cli.configDir.appendingPathComponent("proj")
    try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    try "[personas.Worker]\ndescription = \"project\"\n".write(
      to: project.appendingPathComponent("personas.toml"), atomically: false, encoding: .utf8)
    let show = try cli.json(["personas", "show", "Worker", "--json", "--project", project.path])
    #expect(show["scope"]?.string == "project")
    #expect(show["description"]?.string == "project")
    let created = try cli.run(["personas", "create", "Local", "--scope", "project", "--project", project.path])
    #expect(created.status == 0)
    let text = try String(contentsOf: project.appendingPathComponent("personas.toml"), encoding: .utf8)
    #expect(text.contains("[personas.Local]"))
    #expect(!(cli.file("personas.toml") ?? "").contains("Local"))
    let noProject = try cli.run(["personas", "create", "X", "--scope", "project"])
    #expect(noProject.status == 1)
    #expect(noProject.stderr.contains("no project dir"))
  }
}

@Suite struct CLIRunTests {
  @Test func dryRunOfTheSampleTrack() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    let r = try cli.run(["run", "auth"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("start   T-004  tier 3  Security Reviewer [ticket_override]  gemini/gemini-2.5-flash"))
    #expect(r.stdout.contains("6 done, 0 blocked, 0 waiting"))
    #expect(cli.file("logs/auth/tier3.jsonl")?.contains("\"event\":\"worker_start\"") == true)
    #expect(try cli.run(["run", "nope"]).stderr.contains("no track named \"nope\""))
    #expect(try cli.run(["run", "auth", "--runner", "exec"]).status == 64)
    // A timeout that is not a number of seconds is refused (nan trapped when the worker started).
    for t in ["nan", "0", "-1"] {
      let bad = try cli.run(["run", "auth", "--reset", "--runner", "exec", "--timeout=\(t)", "--", "/bin/true"])
      #expect(bad.status == 64, "\(t)")
      #expect(bad.stderr.contains("--timeout must be more than 0"), "\(t)")
    }
  }

  /// SIGINT to the real binary in the middle of a run: no new worker starts, the running one is
  /// stopped and recorded as blocked "interrupted", the files stay consistent; running again
  /// continues from the statuses on disk.
  @Test func interruptAndResume() throws {
    let cli = try CLI()
    defer { cli.cleanup() }
    _ = try cli.run(["validate"])
    let slow = cli.configDir.appendingPathComponent("slow.sh")
    try "#!/bin/sh\ncat > /dev/null\necho working\nsleep 30\n".write(to: slow, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: slow.path)
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = ["run", "auth", "--runner", "exec", "--config-dir", cli.configDir.path, "--", slow.path]
    let progress = cli.configDir.appendingPathComponent("progress.txt")
    FileManager.default.createFile(atPath: progress.path, contents: nil)
    p.standardOutput = try FileHandle(forWritingTo: progress)
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Wait until the first worker writes its output, then interrupt.
    let log = cli.configDir.appendingPathComponent("logs/auth/tier3.jsonl")
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline, !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("\"line\":\"working\"") {
      usleep(50_000)
    }
    // The progress is written line by line even into a file (`run … | tee`, `> run.log`): the start
    // is there while the worker runs (it came at the end, with the summary, before).
    #expect((try String(contentsOf: progress, encoding: .utf8)).hasPrefix("start   T-001  tier 3"))
    kill(p.processIdentifier, SIGINT)
    let stopped = Date()
    p.waitUntilExit()
    #expect(Date().timeIntervalSince(stopped) < 10)
    #expect(p.terminationStatus == 130)
    let track = try PersonaKit.TOMLParser.parse(cli.file("tracks/auth.toml")!).root
    let tickets = track["tickets"]!.arrayValue!.map { $0.tableValue! }
    #expect(tickets[0]["status"] == .string("blocked"))
    #expect(tickets[0]["blocked_reason"] == .string("interrupted"))
    #expect(tickets.dropFirst().allSatisfy { $0["status"] == .string("todo") })
    let ends = (try String(contentsOf: log, encoding: .utf8)).split(separator: "\n").filter {
      $0.contains("worker_end")
    }
    #expect(ends.count == 1 && ends[0].contains("\"reason\":\"interrupted\""))
    // Again, with a quick command: continues and finishes.
    let quick = cli.configDir.appendingPathComponent("quick.sh")
    try "#!/bin/sh\ncat > /dev/null\necho done\n".write(to: quick, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: quick.path)
    let again = try cli.run(["run", "auth", "--runner", "exec", "--", quick.path])
    #expect(again.status == 0)
    #expect(again.stdout.contains("6 done, 0 blocked, 0 waiting"))
  }
}
