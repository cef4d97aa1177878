import Foundation
import Synchronization
import TestSupport
import Testing

@testable import PersonaKit

/// The conductor with real runners: dry-run, and exec with small scripts the tests write.
@Suite struct ConductorTests {
  func fixture(_ track: String, name: String = "t") throws -> Fixture {
    let f = try Fixture()
    try f.write("tracks/\(name).toml", track)
    return f
  }

  func script(_ f: Fixture, _ body: String) throws -> String {
    let url = f.root.appendingPathComponent("worker-\(UUID().uuidString.prefix(6)).sh")
    try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    return url.path
  }

  /// Sends what the dry run would and succeeds, as a real run: statuses are saved.
  struct SucceedingRunner: Runner {
    func run(_ context: WorkerContext, output: @escaping @Sendable (String) -> Void) async -> RunOutcome {
      await DryRunRunner().run(context, output: output)
    }
  }

  func run(
    _ f: Fixture, _ track: String = "t", runner: Runner = SucceedingRunner(), options: ConductorOptions = .init()
  )
    async throws -> (RunSummary, ConductorEngine)
  {
    let engine = try ConductorEngine(workspace: f.load(), track: track, runner: runner, options: options)
    return (try await engine.run(), engine)
  }

  func events(_ engine: ConductorEngine, tiers: [Int] = [1, 2, 3, 4]) -> [JSONValue] {
    tiers.flatMap { engine.log.events(tier: $0) }.sorted { ($0["ts"]?.string ?? "") < ($1["ts"]?.string ?? "") }
  }

  static func date(_ e: JSONValue) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.date(from: e["ts"]!.string!)!
  }

  @Test func dependencyOrderOnADiamond() async throws {
    let f = try fixture(
      """
      title = "diamond"
      [[tickets]]
      id = "D"
      depends_on = ["B", "C"]
      [[tickets]]
      id = "B"
      depends_on = ["A"]
      [[tickets]]
      id = "C"
      depends_on = ["A"]
      [[tickets]]
      id = "A"
      [[tickets]]
      id = "E"
      depends_on = ["D"]
      """)
    let (summary, engine) = try await run(f)
    #expect(summary.done.sorted() == ["A", "B", "C", "D", "E"])
    let all = events(engine)
    func time(_ ticket: String, _ event: String) -> Date {
      Self.date(all.first { $0["ticket"]?.string == ticket && $0["event"]?.string == event }!)
    }
    let deps = ["B": ["A"], "C": ["A"], "D": ["B", "C"], "E": ["D"]]
    for (t, ds) in deps {
      for d in ds { #expect(time(t, "worker_start") >= time(d, "worker_end"), "\(t) started before \(d) ended") }
    }
    // What a dependency produced is in the messages of its dependents.
    let request = all.first { $0["ticket"]?.string == "D" && ($0["line"]?.string ?? "").hasPrefix("request: ") }!
    let context = try JSONParser.parse(String(request["line"]!.string!.dropFirst("request: ".count)))
    let contents = context["messages"]!.array!.compactMap { $0["content"]?.string }
    #expect(contents.contains { $0.hasPrefix("Output of dependency B:\ndry-run: would send") })
    #expect(contents.contains { $0.hasPrefix("Output of dependency C:") })
    #expect(f.manager().config.tracks["t"]!.tickets.allSatisfy { $0.status == "done" })
  }

  @Test func parallelLimitIsHonoured() async throws {
    var toml = "title = \"wide\"\n"
    for i in 1...6 { toml += "[[tickets]]\nid = \"W\(i)\"\n" }
    let f = try fixture(toml)
    let s = try script(f, "cat > /dev/null\nsleep 0.3\necho ok")
    let (summary, engine) = try await run(
      f, runner: ExecRunner(command: [s]), options: ConductorOptions(parallel: 2))
    #expect(summary.done.count == 6)
    // Overlap measured from the logged start and end times.
    var points: [(Date, Int)] = []
    for e in events(engine) {
      if e["event"]?.string == "worker_start" { points.append((Self.date(e), 1)) }
      if e["event"]?.string == "worker_end" { points.append((Self.date(e), -1)) }
    }
    points.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var current = 0
    var peak = 0
    for (_, d) in points {
      current += d
      peak = max(peak, current)
    }
    #expect(peak == 2)
  }

  @Test func workerStartCarriesThePersonaAndHowItWasChosen() async throws {
    let f = try fixture(
      """
      title = "sources"
      [[tickets]]
      id = "OVR"
      tier = 3
      persona_id = "Security Reviewer"
      [[tickets]]
      id = "TIER"
      tier = 4
      """)
    try f.write("tracks/trk.toml", "title = \"x\"\npersona_id = \"Tech Lead\"\n[[tickets]]\nid = \"TRK\"\ntier = 3\n")
    let (_, e1) = try await run(f)
    let (_, e2) = try await run(f, "trk")
    // default and none: a tier without an assignment, then without a default persona.
    try f.write("mma.toml", "default_persona = \"Orchestrator\"\n[tiers]\n")
    try f.write("tracks/dflt.toml", "title = \"x\"\n[[tickets]]\nid = \"DEF\"\ntier = 2\n")
    let (_, e3) = try await run(f, "dflt")
    try f.write("mma.toml", "[tiers]\n")
    try f.write("tracks/none.toml", "title = \"x\"\n[[tickets]]\nid = \"NONE\"\ntier = 2\n")
    let (_, e4) = try await run(f, "none")
    func start(_ engine: ConductorEngine, _ ticket: String) -> JSONValue {
      events(engine).first { $0["ticket"]?.string == ticket && $0["event"]?.string == "worker_start" }!
    }
    let ovr = start(e1, "OVR")["persona"]!
    #expect(ovr["name"]?.string == "Security Reviewer")
    #expect(ovr["source"]?.string == "ticket_override")
    #expect(ovr["provider"]?.string == "anthropic" && ovr["model"]?.string == "claude-sonnet-4-5")
    #expect(ovr["tool_preset_id"]?.string == "Read-only" && ovr["bias_profile_id"]?.string == "Discovery-Heavy")
    #expect(ovr["temperature"]?.number == 0.2)
    let tier = start(e1, "TIER")["persona"]!
    #expect(tier["name"]?.string == "QA Analyst" && tier["source"]?.string == "tier_assignment")
    #expect(start(e1, "TIER")["tier"]?.number == 4)
    let trk = start(e2, "TRK")["persona"]!
    #expect(trk["name"]?.string == "Tech Lead" && trk["source"]?.string == "track")
    let def = start(e3, "DEF")["persona"]!
    #expect(def["name"]?.string == "Orchestrator" && def["source"]?.string == "default")
    let none = start(e4, "NONE")["persona"]!
    #expect(none["name"] == .null && none["source"]?.string == "none")
    // With no persona the AI Settings values apply: the shipped panel is bound to Worker.
    #expect(none["model"]?.string == "claude-sonnet-4-5")
  }

  @Test func failuresEscalateThroughPreferredModels() async throws {
    let f = try fixture("title = \"x\"\n[[tickets]]\nid = \"F\"\ntier = 3\n")
    // Fails unless the model is the third preferred model of Worker (gemini-2.5-pro).
    let s = try script(
      f,
      "req=$(cat)\ncase \"$req\" in *'\"model\":\"gemini-2.5-pro\"'*) echo fine; exit 0;; esac\necho \"no luck\" >&2\nexit 1"
    )
    let (summary, engine) = try await run(f, runner: ExecRunner(command: [s]), options: ConductorOptions(maxRetries: 2))
    #expect(summary.done == ["F"])
    let models = events(engine).filter { $0["event"]?.string == "worker_start" }.map {
      $0["persona"]!["model"]!.string!
    }
    #expect(models == ["claude-sonnet-4-5", "gpt-5", "gemini-2.5-pro"])
    let ends = events(engine).filter { $0["event"]?.string == "worker_end" }.map { $0["status"]!.string! }
    #expect(ends == ["retry", "retry", "done"])
    #expect(f.manager().config.tracks["t"]?.ticket("F")?.retryCount == 2)
  }

  @Test func theLargestRetryCountIsBlockedNotOverflowed() async throws {
    let f = try fixture("title = \"x\"\n[[tickets]]\nid = \"F\"\ntier = 3\nretry_count = 9223372036854775807\n")
    let s = try script(f, "echo \"no luck\" >&2\nexit 1")
    let (summary, _) = try await run(f, runner: ExecRunner(command: [s]), options: ConductorOptions(maxRetries: 2))
    #expect(summary.blocked == ["F": "exit code 1: no luck"])
    #expect(f.manager().config.tracks["t"]?.ticket("F")?.retryCount == Int.max)
  }

  /// The dry-run runner writes out its request, and the request holds what the ticket's
  /// dependencies wrote: unbounded, every ticket of a chain doubled the next one's (a chain of
  /// 100 tickets never finished and filled the memory). Each dependency's output is given by its
  /// end, at most `dependencyOutputLimit` bytes.
  @Test func aChainOfDryRunsStaysTheSameSizeAllAlongIt() async throws {
    let tickets = (0..<12).map { i in
      "[[tickets]]\nid = \"C\(i)\"\ntier = 3\ndepends_on = [\(i == 0 ? "" : "\"C\(i - 1)\"")]\n"
    }
    let f = try fixture("title = \"chain\"\n" + tickets.joined(separator: "\n"))
    let (summary, engine) = try await run(f)
    #expect(summary.done.count == 12)
    let requests = engine.log.events(tier: 3).compactMap { $0["line"]?.string }.filter { $0.hasPrefix("request: ") }
    #expect(requests.count == 12)
    let limit = WorkerContext.dependencyOutputLimit
    #expect(requests.allSatisfy { $0.utf8.count < 4 * limit }, "\(requests.map(\.utf8.count))")
    // The cut is said: the last request carries the end of its dependency's output after a note.
    #expect(requests.last!.contains("[… the first "))
    // Each output is let go once the tickets that depend on it are done: none is left.
    #expect(engine.outputs.kept.withLock { $0.isEmpty })
  }

  @Test func anOutputIsGivenByItsEndWithANoteOfWhatWasLeftOut() {
    let limit = WorkerContext.dependencyOutputLimit
    #expect(WorkerContext.tail("short") == "short")
    #expect(WorkerContext.tail("short", leftOut: 7) == "[… the first 7 bytes of the output are left out]\nshort")
    // Cut at a line start near the cut, never inside a character.
    let lines = (0..<4000).map { "line \($0) 日本語" }.joined(separator: "\n")
    let t = WorkerContext.tail(lines)
    let body = t.split(separator: "\n", maxSplits: 1)[1]
    #expect(body.utf8.count <= limit)
    #expect(body.hasPrefix("line "))
    #expect(t.hasSuffix("line 3999 日本語"))
    let cut = lines.utf8.count - body.utf8.count
    #expect(t.hasPrefix("[… the first \(cut) bytes of the output are left out]\n"))
    // One long line of wide characters: cut between characters.
    let wide = String(repeating: "語", count: limit)
    let w = WorkerContext.tail(wide)
    #expect(!w.contains("\u{FFFD}"))
    #expect(w.hasSuffix("語語") && w.split(separator: "\n")[1].allSatisfy { $0 == "語" })
    // Collected line by line (as the engine and the logs do), the same end.
    var text = ""
    var leftOut = 0
    for l in lines.split(separator: "\n") { WorkerContext.collect(String(l), into: &text, leftOut: &leftOut) }
    #expect(WorkerContext.tail(text, leftOut: leftOut) == t)
    // Cut once: what was cut is given as it is (not cut again under a second note).
    #expect(WorkerContext.tail(t) == t)
    #expect(WorkerContext.tail(WorkerContext.tail(wide)) == w)
  }

  /// Each ticket depending on the next, the last one failing: all the others wait on it. Who
  /// waits on whom was a recursive walk per ticket — quadratic, and past the stack on a long chain.
  @Test func everyTicketOfALongChainWaitsOnTheBlockedOneAtItsEnd() async throws {
    let n = 20_000
    let tickets = (0..<n).map { i in
      "[[tickets]]\nid = \"R\(i)\"\ndepends_on = [\(i + 1 < n ? "\"R\(i + 1)\"" : "")]\n"
    }
    let f = try fixture("title = \"chain\"\n" + tickets.joined(separator: "\n"))
    let s = try script(f, "cat > /dev/null\necho broken >&2\nexit 1")
    let (summary, _) = try await run(f, runner: ExecRunner(command: [s]), options: ConductorOptions(maxRetries: 0))
    #expect(summary.blocked == ["R\(n - 1)": "exit code 1: broken"])
    #expect(summary.waiting.count == n - 1)
    #expect(summary.waiting.values.allSatisfy { $0 == "R\(n - 1)" })
  }

  /// Changes that come faster than `saveInterval` are saved together (a dry run of 1,000 tickets
  /// took 17 s saving the whole track twice a ticket, 3.8 s now); the file ends with every status.
  @Test func quickChangesAreSavedTogetherAndTheLastStateIsOnDisk() async throws {
    let tickets = (0..<300).map { "[[tickets]]\nid = \"Q\($0)\"\n" }.joined(separator: "\n")
    let f = try fixture("title = \"q\"\n" + tickets)
    let (summary, engine) = try await run(f, options: ConductorOptions(parallel: 4))
    #expect(summary.done.count == 300)
    #expect(engine.saves < 150, "\(engine.saves) saves")
    let onDisk = try #require(f.manager().config.tracks["t"])
    #expect(onDisk.tickets.allSatisfy { $0.status == "done" })
  }

  /// Saves are spaced by ten times what the last one took, from 0.2 s up to 5 s.
  @Test func savesAreSpacedByWhatTheyCost() {
    #expect(ConductorEngine.interval(afterASaveOf: .zero) == .milliseconds(200))
    #expect(ConductorEngine.interval(afterASaveOf: .milliseconds(5)) == .milliseconds(200))
    #expect(ConductorEngine.interval(afterASaveOf: .milliseconds(90)) == .milliseconds(900))
    #expect(ConductorEngine.interval(afterASaveOf: .seconds(3)) == .seconds(5))
  }

  /// A worker slower than `saveInterval` (here 1 s: the save of its start, at the first tick, is
  /// long past when it ends): its end is on disk at once, before the next one starts.
  @Test func aSlowWorkersEndIsOnDiskBeforeTheNextStarts() async throws {
    let f = try fixture(
      "title = \"s\"\n[[tickets]]\nid = \"S1\"\n\n[[tickets]]\nid = \"S2\"\ndepends_on = [\"S1\"]\n")
    let marks = f.root.appendingPathComponent("marks")
    let s = try script(
      f, "cat > /dev/null\ncp \"\(f.url("tracks/t.toml").path)\" \"\(marks.path).$(date +%s%N)\"\nsleep 1")
    _ = try await run(f, runner: ExecRunner(command: [s]), options: ConductorOptions(parallel: 1))
    // The track file as each worker found it when it started.
    let seen = try FileManager.default.contentsOfDirectory(atPath: f.root.path).filter { $0.hasPrefix("marks.") }
      .sorted()
    #expect(seen.count == 2)
    let second = try String(contentsOf: f.root.appendingPathComponent(seen[1]), encoding: .utf8)
    #expect(second.contains("id = \"S1\"\nstatus = \"done\""), "S1's end saved before S2 ran: \(second)")
  }

  /// The logs' directory is made by the first event, and again when it was removed meanwhile.
  @Test func aLogsDirectoryRemovedIsMadeAgain() throws {
    let f = try Fixture(defaults: false)
    let log = StreamLog(directory: f.root.appendingPathComponent("logs/t"))
    log.append(tier: 1, event: "a", [])
    try FileManager.default.removeItem(at: f.root.appendingPathComponent("logs"))
    log.append(tier: 1, event: "b", [])
    #expect(log.events(tier: 1).map { $0["event"]?.string } == ["b"])
  }

  /// The log read from its end (the dashboard) and read for a few tickets (the dependency outputs
  /// of a run) gives what reading and parsing it whole gives, across read chunks, torn lines and
  /// ids that are escaped in JSON.
  @Test func aLogReadInPartsGivesWhatItGivesReadWhole() throws {
    let f = try Fixture(defaults: false)
    let log = StreamLog(directory: f.root.appendingPathComponent("logs/t"))
    var rng = SplitMix(seed: 7)
    let ids = ["A", "B", "C\"q", "日本", "E"]
    for i in 0..<400 {
      let id = ids[Int(rng.next() % UInt64(ids.count))]
      func event(_ name: String, _ more: [(String, JSONValue)]) {
        log.append(tier: 2, event: name, [("track", .string("t")), ("ticket", .string(id))] + more)
      }
      event("worker_start", [])
      for k in 0..<Int(rng.next() % 4) {
        event("output", [("line", .string("\(i).\(k) " + String(repeating: "x", count: Int(rng.next() % 3000))))])
      }
      event("worker_end", [("status", .string(rng.next() % 3 == 0 ? "retry" : "done"))])
    }
    // A torn line in the middle and at the end.
    let url = log.url(tier: 2)
    let handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("{\"ts\":\"x\",\"event\":\"output\",\"tic".utf8))
    try handle.close()
    log.append(tier: 2, event: "worker_end", [("ticket", .string("A")), ("status", .string("done"))])
    let all = log.events(tier: 2)
    #expect(try Data(contentsOf: url).count > 3 * 65_536)
    for count in [1, 2, 7, 40, 100, 5000] {
      #expect(log.lastEvents(tier: 2, count: count) == Array(all.suffix(count)), "\(count)")
    }
    let whole = log.lastOutputs(tier: 2)
    #expect(whole.count >= 4)
    for some in [Set(["A"]), Set(["C\"q", "日本"]), Set(ids), Set(["none"])] {
      #expect(log.lastOutputs(tier: 2, of: some) == whole.filter { some.contains($0.key) }, "\(some)")
    }
    #expect(log.lastEvents(tier: 3, count: 5).isEmpty)
  }

  /// Commands that exit without reading their stdin: writing the request to the closed pipe must
  /// not end this process with SIGPIPE (it ended the test process now and then); a nan timeout
  /// (the CLI refuses it) is no timeout, not a trap.
  @Test func aCommandThatDoesNotReadItsRequestIsFine() async throws {
    let tickets = (0..<40).map { "[[tickets]]\nid = \"Q\($0)\"\n" }.joined(separator: "\n")
    let f = try fixture("title = \"q\"\n" + tickets)
    let s = try script(f, "exit 0")
    let (summary, _) = try await run(
      f, runner: ExecRunner(command: [s], timeout: .nan), options: ConductorOptions(parallel: 4))
    #expect(summary.done.count == 40)
  }

  @Test func aBlockedTicketBlocksItsDependentsWhichAreReportedWaiting() async throws {
    let f = try fixture(
      """
      title = "x"
      [[tickets]]
      id = "A"
      [[tickets]]
      id = "B"
      depends_on = ["A"]
      [[tickets]]
      id = "C"
      depends_on = ["B"]
      [[tickets]]
      id = "Z"
      """)
    let s = try script(
      f, "req=$(cat)\ncase \"$req\" in *'\"ticket\":\"A\"'*) echo \"disk full at line 3\" >&2; exit 2;; esac\necho ok")
    let (summary, engine) = try await run(f, runner: ExecRunner(command: [s]), options: ConductorOptions(maxRetries: 1))
    #expect(summary.done.sorted() == ["Z"])
    #expect(summary.blocked["A"] == "exit code 2: disk full at line 3")
    #expect(summary.waiting == ["B": "A", "C": "A"])
    let track = f.manager().config.tracks["t"]!
    #expect(track.ticket("A")?.status == "blocked")
    #expect(track.ticket("A")?.blockedReason == "exit code 2: disk full at line 3")
    #expect(track.ticket("A")?.retryCount == 2)
    #expect(track.ticket("B")?.status == "todo")
    let waiting = events(engine).filter { $0["event"]?.string == "waiting" }.map { $0["ticket"]!.string! }
    #expect(waiting.sorted() == ["B", "C"])
  }

  @Test func aWorkerPastItsTimeoutIsStopped() async throws {
    let f = try fixture("title = \"x\"\n[[tickets]]\nid = \"S\"\n")
    let s = try script(f, "cat > /dev/null\necho started\nsleep 10\necho never")
    let (summary, engine) = try await run(
      f, runner: ExecRunner(command: [s], timeout: 0.5), options: ConductorOptions(maxRetries: 0))
    // Not a wall-clock bound (a loaded machine delays tasks): had the timeout not stopped the
    // script, it would have printed "never" and ended done.
    #expect(summary.blocked["S"] == "timed out after 0.5 s")
    let lines = events(engine).compactMap { $0["line"]?.string }
    #expect(lines == ["started"])
  }

  @Test func outputIsStreamedAsItIsWritten() async throws {
    let f = try fixture("title = \"x\"\n[[tickets]]\nid = \"SLOW\"\n")
    let s = try script(f, "cat > /dev/null\necho first\nsleep 0.6\necho second\nprintf 'no newline'")
    let (summary, engine) = try await run(f, runner: ExecRunner(command: [s]))
    #expect(summary.done == ["SLOW"])
    let outputs = events(engine).filter { $0["event"]?.string == "output" }
    #expect(outputs.map { $0["line"]!.string! } == ["first", "second", "no newline"])
    let gap = Self.date(outputs[1]).timeIntervalSince(Self.date(outputs[0]))
    #expect(gap >= 0.4, "the first line was logged when written, not at the end (gap \(gap))")
  }

  @Test func theWorkerContextReachesTheCommandOnStdin() async throws {
    let f = try fixture("title = \"x\"\n[[tickets]]\nid = \"CTX\"\ndescription = \"Add rate limiting\"\n")
    let out = f.root.appendingPathComponent("stdin.json")
    let s = try script(f, "cat > '\(out.path)'")
    _ = try await run(f, runner: ExecRunner(command: [s]))
    let ctx = try JSONParser.parse(try String(contentsOf: out, encoding: .utf8))
    #expect(ctx["ticket"]?.string == "CTX" && ctx["track"]?.string == "t")
    #expect(ctx["persona_id"]?.string == "Worker" && ctx["persona_source"]?.string == "tier_assignment")
    #expect(ctx["model"]?.string == "claude-sonnet-4-5")
    #expect(ctx["system_prompt"]?.string?.contains("## Tooling strategy (Execution-Focused)") == true)
    #expect(ctx["tools"]?.array?.first { $0["name"]?.string == "run_tests" }?["priority"]?.string == "HIGH PRIORITY")
    #expect(ctx["messages"]?.array?.last?["content"]?.string == "Ticket CTX: Add rate limiting")
  }

  @Test func cyclesAndUnknownDependenciesAreRefusedBeforeAnythingStarts() async throws {
    let f = try fixture(
      "title = \"x\"\n[[tickets]]\nid = \"A\"\ndepends_on = [\"B\"]\n[[tickets]]\nid = \"B\"\ndepends_on = [\"A\", \"Q\"]\n"
    )
    let before = try f.read("tracks/t.toml")
    do {
      _ = try await run(f)
      Issue.record("expected a refusal")
    } catch {
      #expect("\(error)".contains("dependency cycle: A → B → A"))
      #expect("\(error)".contains("ticket B depends on unknown ticket Q"))
    }
    #expect(try f.read("tracks/t.toml") == before)
    #expect(!FileManager.default.fileExists(atPath: f.url("logs/t").path))
  }

  /// Two tickets with one id: which of them a dependency, a status or a log line means is not
  /// known, so the run is refused.
  @Test func aTicketIdUsedTwiceIsRefusedBeforeAnythingStarts() async throws {
    let f = try fixture(
      "title = \"x\"\n[[tickets]]\nid = \"A\"\n[[tickets]]\nid = \"B\"\n[[tickets]]\nid = \"A\"\ndepends_on = [\"B\"]\n"
    )
    do {
      _ = try await run(f)
      Issue.record("expected a refusal")
    } catch {
      #expect("\(error)".contains("more than one ticket has the id \"A\""))
    }
    #expect(!FileManager.default.fileExists(atPath: f.url("logs/t").path))
  }

  /// A dry run is a rehearsal: it writes its stream logs, every event marked `"dry_run": true`,
  /// and changes no status, no retry count and no other file — the next real run does the work.
  @Test func aDryRunChangesNoFileButItsLogs() async throws {
    let f = try fixture(
      """
      # hand-written, kept byte for byte
      title = "rehearsal"
      [[tickets]]
      id = "A"
      status = "todo"
      retry_count = 1
      [[tickets]]
      id = "B"
      depends_on = ["A"]
      """)
    let before = try Data(contentsOf: f.url("tracks/t.toml"))
    let configBefore = try FileManager.default.contentsOfDirectory(atPath: f.root.appendingPathComponent("global").path)
      .sorted()
    let (summary, engine) = try await run(f, runner: DryRunRunner())
    #expect(summary.done.sorted() == ["A", "B"])
    #expect(summary.started == 2)
    #expect(try Data(contentsOf: f.url("tracks/t.toml")) == before)
    #expect(engine.saves == 0)
    let configAfter = try FileManager.default.contentsOfDirectory(atPath: f.root.appendingPathComponent("global").path)
      .sorted()
    #expect(Set(configAfter).subtracting(configBefore) == ["logs"])
    #expect(Set(configBefore).subtracting(configAfter).isEmpty)
    let all = events(engine)
    #expect(!all.isEmpty)
    #expect(all.allSatisfy { $0["dry_run"] == .bool(true) })
    // The real run after it still has everything to do.
    let (real, realEngine) = try await run(f)
    #expect(real.started == 2)
    #expect(events(realEngine).contains { $0["dry_run"] == nil })
    #expect(f.manager().config.tracks["t"]!.tickets.allSatisfy { $0.status == "done" })
  }

  /// A configuration that does not validate is refused before the first worker starts, each
  /// problem with its place, and nothing is written; `force` runs it and records each problem.
  @Test func aRunRefusesAConfigurationWithErrors() async throws {
    let track = """
      title = "checked"
      [[tickets]]
      id = "A"
      persona_id = "Nope"
      """
    let f = try fixture(track)
    do {
      _ = try await run(f)
      Issue.record("expected a refusal")
    } catch let e as ConductorError {
      guard case .invalidConfiguration(let problems) = e else { throw e }
      #expect(problems.map(\.message) == ["unknown persona \"Nope\""])
      #expect(problems.first?.line == 4)
      #expect(e.description.contains("t.toml:4:1: ticket A persona_id: unknown persona \"Nope\""))
    }
    #expect(try f.read("tracks/t.toml") == track)
    #expect(!FileManager.default.fileExists(atPath: f.url("logs/t").path))

    let (summary, engine) = try await run(f, options: ConductorOptions(force: true))
    #expect(summary.done == ["A"])
    let recorded = events(engine).filter { $0["event"]?.string == "config_problem" }
    #expect(recorded.map { $0["message"]?.string } == ["unknown persona \"Nope\""])

    // A personas.toml that does not parse: refused with its place, not run with null personas.
    let g = try fixture("title = \"x\"\n[[tickets]]\nid = \"A\"\n")
    try g.write("personas.toml", try g.read("personas.toml") + "\n[personas.broken\n")
    do {
      _ = try await run(g)
      Issue.record("expected a refusal")
    } catch let e as ConductorError {
      #expect(e.description.contains("personas.toml:"), "\(e)")
      #expect(e.description.contains("to close the table header"), "\(e)")
    }
    // A tier 9 is an error too; so is a temperature of the wrong type in a persona a ticket gets.
    let h = try fixture("title = \"x\"\n[[tickets]]\nid = \"A\"\ntier = 9\n")
    await #expect(throws: ConductorError.self) { _ = try await run(h) }
    let k = try fixture("title = \"x\"\n[[tickets]]\nid = \"A\"\npersona_id = \"Odd\"\n")
    try k.write(
      "personas.toml",
      try k.read("personas.toml")
        + "\n[personas.Odd]\npreferred_models = [{ provider = \"openai\", model = \"gpt-5\", temperature = \"0.1\" }]\n"
    )
    do {
      _ = try await run(k)
      Issue.record("expected a refusal")
    } catch let e as ConductorError {
      #expect(e.description.contains("temperature: expected a number, found a string"), "\(e)")
    }
  }

  /// Fails a ticket while its retry count is below the number given for it.
  struct FailingRunner: Runner {
    let failures: [String: Int]
    func run(_ context: WorkerContext, output: @escaping @Sendable (String) -> Void) async -> RunOutcome {
      output("ran \(context.ticket)")
      return context.retry < (failures[context.ticket] ?? 0) ? .failed("failed on purpose") : .succeeded
    }
  }

  final class Lines: Sendable {
    let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
  }

  /// One worker at a time, tickets start in the order the rule gives — the first ticket of the
  /// track that is `todo` with every dependency `done` — through retries, blocked tickets and the
  /// tickets waiting on them, on random dependency graphs whose edges point both ways in the file.
  /// (The conductor keeps the ready tickets as they change instead of looking through the track
  /// after every event; this is the rule it had.)
  @Test(arguments: [1, 2, 3]) func ticketsStartInTheOrderOfTheRule(seed: UInt64) async throws {
    var rng = SplitMix(seed: seed)
    let n = 120
    let rank = Array(0..<n).shuffled(using: &rng)  // dependencies go to lower ranks: no cycle
    var deps: [[Int]] = []
    var failures: [String: Int] = [:]
    var toml = "title = \"r\"\n"
    for k in 0..<n {
      let lower = (0..<n).filter { rank[$0] < rank[k] }
      let mine =
        lower.isEmpty ? [] : (0..<Int.random(in: 0...3, using: &rng)).map { _ in lower.randomElement(using: &rng)! }
      deps.append(mine)
      let roll = Int.random(in: 0..<100, using: &rng)
      if roll < 12 { failures["R\(k)"] = 1 } else if roll < 15 { failures["R\(k)"] = 99 }
      toml += "[[tickets]]\nid = \"R\(k)\"\n"
      if !mine.isEmpty { toml += "depends_on = [" + mine.map { "\"R\($0)\"" }.joined(separator: ", ") + "]\n" }
    }
    // The rule, one ticket at a time.
    var status = Array(repeating: "todo", count: n)
    var retries = Array(repeating: 0, count: n)
    var expected: [String] = []
    while let k = (0..<n).first(where: { status[$0] == "todo" && deps[$0].allSatisfy { status[$0] == "done" } }) {
      expected.append("R\(k)")
      if retries[k] < failures["R\(k)", default: 0] {
        retries[k] += 1
        status[k] = retries[k] <= 1 ? "todo" : "blocked"
      } else {
        status[k] = "done"
      }
    }
    let f = try fixture(toml)
    let starts = Lines()
    let engine = try ConductorEngine(
      workspace: f.load(), track: "t", runner: FailingRunner(failures: failures),
      options: ConductorOptions(parallel: 1, maxRetries: 1)
    ) { line in
      if line.hasPrefix("start") { starts.add(String(line.split(separator: " ")[1])) }
    }
    let summary = try await engine.run()
    #expect(starts.lines.withLock { $0 } == expected)
    #expect(Set(summary.done) == Set((0..<n).filter { status[$0] == "done" }.map { "R\($0)" }))
    #expect(Set(summary.blocked.keys) == Set((0..<n).filter { status[$0] == "blocked" }.map { "R\($0)" }))
    #expect(summary.done.count + summary.blocked.count + summary.waiting.count == n)
    #expect(!summary.blocked.isEmpty && !summary.waiting.isEmpty)
  }

  /// A ticket added to the track by hand while it runs (depending on one that runs then) runs too,
  /// and tickets keep their statuses: the ready tickets are found again in the track as read.
  @Test func aTicketAddedDuringTheRunRunsToo() async throws {
    let f = try fixture(
      "title = \"x\"\n[[tickets]]\nid = \"A\"\n\n[[tickets]]\nid = \"B\"\ndepends_on = [\"A\"]\n")
    let track = f.url("tracks/t.toml").path
    let s = try script(
      f,
      """
      if grep -q '"ticket" *: *"A"'; then
        sleep 0.3
        printf '\\n[[tickets]]\\nid = "N"\\ndepends_on = ["A"]\\n' >> "\(track)"
      fi
      """)
    let (summary, _) = try await run(f, runner: ExecRunner(command: [s]), options: ConductorOptions(parallel: 1))
    #expect(summary.done == ["A", "B", "N"])
    let onDisk = try #require(f.manager().config.tracks["t"])
    #expect(onDisk.tickets.map(\.id) == ["A", "B", "N"])
    #expect(onDisk.tickets.allSatisfy { $0.status == "done" })
  }

  @Test func runningAgainContinuesFromTheStatusesOnDisk() async throws {
    let f = try fixture(
      "title = \"x\"\n[[tickets]]\nid = \"A\"\nstatus = \"done\"\n[[tickets]]\nid = \"B\"\nstatus = \"blocked\"\nblocked_reason = \"interrupted\"\n[[tickets]]\nid = \"C\"\nstatus = \"in_progress\"\n"
    )
    let (summary, engine) = try await run(f)
    #expect(summary.done.sorted() == ["A", "B", "C"])
    let started = events(engine).filter { $0["event"]?.string == "worker_start" }.map { $0["ticket"]!.string! }
    #expect(started.sorted() == ["B", "C"])
    let (_, again) = try await run(f, options: ConductorOptions(reset: true))
    #expect(events(again).filter { $0["event"]?.string == "worker_start" }.count == 5)
  }

  /// Found by the monkey test: a track file deleted under a running conductor crashed it.
  @Test func aTrackDeletedDuringTheRunStopsItWithAnError() async throws {
    let f = try fixture("title = \"x\"\n[[tickets]]\nid = \"A\"\n[[tickets]]\nid = \"B\"\ndepends_on = [\"A\"]\n")
    let s = try script(f, "cat > /dev/null\nrm -f '\(f.url("tracks/t.toml").path)'\necho gone")
    do {
      _ = try await run(f, runner: ExecRunner(command: [s]))
      Issue.record("expected an error")
    } catch {
      #expect((error as? ConductorError) == .unknownTrack("t"))
    }
  }
}
