import FoundationEssentials
import Synchronization

/// How a run goes.
public struct ConductorOptions: Sendable {
  /// Workers running at once.
  public var parallel: Int = 2
  /// A failed ticket is retried with `retry_count + 1` (the next preferred model) up to this many times.
  public var maxRetries: Int = 2
  /// Start over: every ticket back to `todo` with `retry_count` 0.
  public var reset = false
  /// Run although the configuration has errors (`Rules.problems(running:in:)`); each is recorded
  /// in the tier logs.
  public var force = false

  public init(parallel: Int = 2, maxRetries: Int = 2, reset: Bool = false, force: Bool = false) {
    self.parallel = parallel
    self.maxRetries = maxRetries
    self.reset = reset
    self.force = force
  }
}

/// What a run did.
public struct RunSummary: Sendable, Equatable {
  public var done: [String] = []
  /// Ticket → reason.
  public var blocked: [String: String] = [:]
  /// Ticket → the blocked ticket it waits on.
  public var waiting: [String: String] = [:]
  public var interrupted = false
  /// Workers started by this run (0: there was nothing to run).
  public var started = 0

  public var succeeded: Bool { blocked.isEmpty && waiting.isEmpty && !interrupted }
}

public enum ConductorError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `tracks`: the tracks there are, said when the run is refused before it starts.
  case unknownTrack(String, tracks: [String]? = nil)
  /// Unknown dependencies or cycles: refused before anything starts.
  case invalidTrack([String])
  case save(ConfigError)
  /// The configuration the run resolves has errors (`Rules.problems(running:in:)`): refused
  /// before any worker starts, nothing written.
  case invalidConfiguration([Diagnostic])
  /// Another process runs the track (`RunLock`); its pid when it wrote one.
  case alreadyRunning(track: String, pid: Int32?)
  /// The track's log folder cannot be made or written: refused before any worker starts.
  case logsUnavailable(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let problems):
      let errors = problems.filter { $0.severity == .error }
      return
        "the run is refused: \(errors.count) error\(errors.count == 1 ? "" : "s") in what it resolves "
        + "(fix them, or --force to run anyway):\n" + errors.map { "  \($0.description)" }.joined(separator: "\n")
    case .unknownTrack(let t, let tracks):
      guard let tracks else { return "no track named \(TerminalSafe.quoted(t))" }
      return "no track named \(TerminalSafe.quoted(t))" + Suggest.hint(t, among: tracks) + "; "
        + (tracks.isEmpty
          ? "there are no tracks (tracks/NAME.toml in the config dir)"
          : "tracks: " + tracks.map(TerminalSafe.escape).joined(separator: ", "))
    case .invalidTrack(let problems):
      return "the track cannot run:\n" + problems.map { "  " + $0 }.joined(separator: "\n")
    case .save(let e): return e.description
    case .alreadyRunning(let track, let pid):
      return "track \(TerminalSafe.quoted(track)) is being run already"
        + (pid.map { " (pid \($0)): wait for that run to end, or stop it (kill \($0))" } ?? ": wait for that run to end")
    case .logsUnavailable(let path, let reason):
      return "the run is refused: its logs cannot be written in \(path) (\(reason)); nothing was started"
    }
  }
}

/// Runs a track: tickets whose dependencies are all `done` are ready; ready tickets run as workers,
/// up to `parallel` at once (structured concurrency: one task group, results handled one at a
/// time). Every worker gets its resolved persona; its start, output and end go to the tier stream
/// log; ticket status, `retry_count` and `blocked_reason` are saved to the track file after every
/// change, atomically. A blocked ticket blocks its dependents, which are reported as waiting on it.
public final class ConductorEngine {
  public private(set) var workspace: Workspace
  public let trackName: String
  let runner: Runner
  let options: ConductorOptions
  let progress: @Sendable (String) -> Void
  public let log: StreamLog
  let scope: Scope
  let outputs = Outputs()
  /// A dry run (`Runner.isRehearsal`): the track file is never written; statuses change in memory only.
  let rehearsal: Bool

  /// What each worker of this run wrote — its end only, as much as its dependents are given
  /// (`WorkerContext.dependencyOutputLimit`): a worker writing gigabytes does not fill the memory.
  final class Outputs: Sendable {
    struct Kept {
      var text = ""
      var leftOut = 0
    }
    let kept = Mutex<[String: Kept]>([:])
    func append(_ ticket: String, _ line: String) {
      kept.withLock { all in
        var k = all.removeValue(forKey: ticket) ?? Kept()
        WorkerContext.collect(line, into: &k.text, leftOut: &k.leftOut)
        all[ticket] = k
      }
    }
    func reset(_ ticket: String) { kept.withLock { $0[ticket] = Kept() } }
    /// A worker ended: its output is kept as its dependents are given it (at most the limit).
    func finish(_ ticket: String) {
      kept.withLock { all in
        guard let k = all.removeValue(forKey: ticket) else { return }
        all[ticket] = Kept(text: WorkerContext.tail(k.text, leftOut: k.leftOut))
      }
    }
    /// No dependent needs it any more.
    func drop(_ ticket: String) { _ = kept.withLock { $0.removeValue(forKey: ticket) } }
    func text(_ ticket: String) -> String? {
      kept.withLock { all in all[ticket].map { WorkerContext.tail($0.text, leftOut: $0.leftOut) } }
    }
  }

  /// The resolver of the configuration as loaded (made again after a reload): making it reads
  /// every persona, preset and provider — with 10,000 personas, ~5 ms a ticket. The engine
  /// resolves tickets of the track it is given, not of the configuration's copy of it.
  private var cachedResolver: Resolver?
  var resolver: Resolver {
    if let r = cachedResolver { return r }
    let r = Resolver(workspace.config)
    cachedResolver = r
    return r
  }

  /// Saves that come faster than this are gathered into one (`persistSoon`).
  static let saveInterval: Duration = .milliseconds(200)
  /// Saves are also at least ten times as far apart as the last one took: a big track takes long
  /// to write and read back (~90 ms with 10,000 tickets), and saving it every 0.2 s made saving
  /// most of a dry run's time. Never more than `longestInterval` apart (a slow disk): what a run
  /// killed outright loses stays bounded.
  var interval: Duration { Self.interval(afterASaveOf: lastSaveTook) }
  static let longestInterval: Duration = .seconds(5)
  static func interval(afterASaveOf took: Duration) -> Duration {
    min(longestInterval, max(saveInterval, took * 10))
  }
  private var unsaved = false
  private var lastSave = ContinuousClock.now
  private var lastAnySave = ContinuousClock.now
  private var lastSaveTook: Duration = .zero
  /// How many times this run saved the track (for the tests).
  private(set) var saves = 0

  /// Saves at once, unless the last such save was less than `interval` ago: then the change is
  /// saved by a later tick of the run or at its end. A run whose workers take longer than that
  /// saves every change at once; a dry run of thousands of tickets writes the track a few times a
  /// second instead of twice a ticket (each save writes and reads back the whole file).
  func persistSoon() throws(ConductorError) {
    // Measured from the last save made this way, not from a tick's: a tick held back (a busy
    // machine) must not make the end of a slow worker wait for the next one.
    let now = ContinuousClock.now
    if now - lastSave >= interval {
      lastSave = now
      try persist()
    } else {
      unsaved = true
    }
  }

  /// A tick of the run: a gathered change is saved once `interval` has passed since any save.
  func persistGathered() throws(ConductorError) {
    if unsaved && ContinuousClock.now - lastAnySave >= interval { try persist() }
  }

  /// Per tier, the output of each ticket's last finished run in the logs, read once per run (the
  /// logs of tickets that do not run in this run do not change during it).
  private var logOutputs: [Int: [String: String]] = [:]
  func lastLoggedOutput(_ ticket: String, tier: Int) -> String? {
    // An output of this run let go when its dependents were done, and needed again (a dependent
    // set back to todo meanwhile): from the log as it is now.
    if dropped.contains(ticket) || !fromLogs.contains(ticket) { return log.lastOutput(ticket: ticket, tier: tier) }
    if logOutputs[tier] == nil { logOutputs[tier] = log.lastOutputs(tier: tier, of: fromLogs) }
    return logOutputs[tier]?[ticket]
  }

  /// The tickets done before the run whose outputs the tickets to run will be given: read from
  /// the logs, in one pass over each tier's log, parsing only their lines.
  private var fromLogs: Set<String> = []

  /// Outputs of this run let go (no ticket still to run needs them).
  private var dropped: Set<String> = []
  /// The dependencies done before the run of the tickets still to run: their outputs come from
  /// the logs.
  func findOutputsInLogs() {
    let current = track
    let done = Set(current.tickets.filter { $0.status == "done" }.map(\.id))
    for t in current.tickets where t.status != "done" {
      for d in t.dependsOn where done.contains(d) { fromLogs.insert(d) }
    }
  }

  /// Lets go of what the ticket at `k` and its dependencies wrote once every ticket depending on
  /// them is done (a dry run of 10,000 tickets kept every output: 260 MB).
  private func releaseOutputs(around k: Int, in tickets: [Ticket]) {
    guard let schedule else { return }
    let ks = [k] + Set(tickets[k].dependsOn).compactMap { schedule.index[$0] }
    for j in ks where schedule.dependentsAreDone(j, in: tickets) {
      outputs.drop(tickets[j].id)
      dropped.insert(tickets[j].id)
    }
  }

  public init(
    workspace: Workspace, track: String, runner: Runner, options: ConductorOptions = ConductorOptions(),
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws(ConductorError) {
    guard let scoped = workspace.config.tracks.scoped(track) else {
      throw .unknownTrack(track, tracks: workspace.config.tracks.names)
    }
    self.workspace = workspace
    trackName = track
    self.runner = runner
    self.options = options
    self.progress = progress
    scope = scoped.scope
    // (Not the track itself: holding its tickets would make every status change copy them all.)
    lastTrack = Track(name: track)
    let dir = workspace.paths.directory(scoped.scope) ?? workspace.paths.global
    rehearsal = runner.isRehearsal
    log = StreamLog(
      directory: dir.appendingPathComponent("logs").appendingPathComponent(track),
      marks: rehearsal ? [("dry_run", .bool(true))] : [])
  }

  /// The track as it is now; if its file vanished (deleted under the run), the last one seen before
  /// the reload that lost it, and the next save stops the run with an error instead of crashing.
  var track: Track {
    if let t = workspace.scopes[scope]?.tracks.first(where: { $0.name == trackName }) { return t }
    vanished = true
    return lastTrack
  }
  private var lastTrack: Track
  private var vanished = false

  /// Changes every ticket of the track in place, in one pass.
  func updateAll(_ body: (inout Ticket) -> Void) {
    guard let t = workspace.scopes[scope]?.tracks.firstIndex(where: { $0.name == trackName }) else { return }
    for k in workspace.scopes[scope]!.tracks[t].tickets.indices { body(&workspace.scopes[scope]!.tracks[t].tickets[k]) }
  }

  /// Changes one ticket in place (a copy of the scope changed and put back copied every ticket of
  /// the track: with 10,000 tickets, most of a dry run's time). No copy of the track may be held
  /// meanwhile, or the change copies its tickets.
  func update(_ id: String, _ body: (inout Ticket) -> Void) {
    guard let (t, k) = place(of: id) else { return }
    body(&workspace.scopes[scope]!.tracks[t].tickets[k])
  }

  /// Where a ticket is: its track's place in the scope, and its own in the track (found through
  /// `schedule` when the track is as it was made from).
  private func place(of id: String) -> (track: Int, ticket: Int)? {
    guard let tracks = workspace.scopes[scope]?.tracks, let t = tracks.firstIndex(where: { $0.name == trackName })
    else { return nil }
    if let k = schedule?.index[id], k < tracks[t].tickets.count, tracks[t].tickets[k].id == id { return (t, k) }
    return tracks[t].tickets.firstIndex(where: { $0.id == id }).map { (t, $0) }
  }

  /// A ticket of the track as it is now.
  func ticket(_ id: String) -> Ticket? {
    place(of: id).map { workspace.scopes[scope]!.tracks[$0.track].tickets[$0.ticket] }
  }

  /// The tickets ready to run; made again when the track was read again from disk (until then
  /// it is not told of starts and ends: it is made from the statuses then).
  private var schedule: ReadyTickets?
  private var reloads = 0
  private var scheduledReloads = -1

  /// The worker context for the ticket at `k` of the track, if it is still to run.
  private func context(ofTicketAt k: Int, running: Set<String>) -> (Ticket, WorkerContext)? {
    let current = track
    guard k < current.tickets.count else { return nil }
    let t = current.tickets[k]
    guard t.status == "todo", !running.contains(t.id),
      t.dependsOn.allSatisfy({ d in schedule?.index[d].map { current.tickets[$0].status == "done" } ?? false })
    else { return nil }
    let resolved = resolver.resolve(tier: t.tier, track: current, ticket: t, retry: t.retryCount)
    let deps = t.dependsOn.map { d -> (String, String) in
      let tier = schedule?.index[d].map { current.tickets[$0].tier } ?? t.tier
      return (d, outputs.text(d) ?? lastLoggedOutput(d, tier: tier) ?? "")
    }
    return (t, WorkerContext(resolved: resolved, ticket: t, track: trackName, dependencyOutputs: deps))
  }

  /// Saves the track file; when someone else changed it meanwhile, reloads it, applies the
  /// statuses of this run again and saves once more.
  func persist() throws(ConductorError) {
    unsaved = false
    if rehearsal { return }
    saves += 1
    let start = ContinuousClock.now
    defer {
      lastAnySave = .now
      lastSaveTook = lastAnySave - start
    }
    let id = ConfigFileID.track(trackName, scope)
    if vanished || !FileManager.default.fileExists(atPath: workspace.url(id)?.path ?? "") {
      throw .unknownTrack(trackName)
    }
    do {
      try workspace.save([id])
    } catch .changedOnDisk {
      let mine = track.tickets
      lastTrack = track
      workspace = workspace.reloaded()
      cachedResolver = nil
      reloads += 1
      for t in mine {
        update(t.id) {
          $0.status = t.status
          $0.retryCount = t.retryCount
          $0.blockedReason = t.blockedReason
        }
      }
      do { try workspace.save([id]) } catch { throw .save(error) }
    } catch {
      throw .save(error)
    }
  }

  /// Unknown dependencies and cycles, as messages.
  public static func problems(_ track: Track) -> [String] {
    var out: [String] = []
    let ids = Set(track.tickets.map(\.id))
    for t in track.tickets {
      for d in t.dependsOn where !ids.contains(d) { out.append("ticket \(t.id) depends on unknown ticket \(d)") }
    }
    for c in Validator.cycles(in: track.tickets) {
      out.append("dependency cycle: " + Validator.path(of: c))
    }
    var seen: Set<String> = []
    var twice: [String] = []
    for t in track.tickets where !seen.insert(t.id).inserted && !twice.contains(t.id) { twice.append(t.id) }
    for id in twice { out.append("more than one ticket has the id \(TerminalSafe.quoted(id))") }
    let selfLoops = track.tickets.filter { $0.dependsOn.contains($0.id) }.map(\.id)
    for s in selfLoops { out.append("ticket \(s) depends on itself") }
    return out
  }

  enum Event: Sendable {
    case finished(id: String, tier: Int, outcome: RunOutcome)
    case stop
    /// Every 100 ms while workers run: a gathered change is saved.
    case tick
  }

  /// The watcher: `.stop` when the run is to stop (or the group is cancelled), else `.tick`
  /// after 100 ms.
  static func watch(_ shouldStop: @Sendable () -> Bool) async -> Event {
    for _ in 0..<2 {
      if Task.isCancelled || shouldStop() { return .stop }
      try? await Task.sleep(nanoseconds: 50_000_000)
    }
    return Task.isCancelled || shouldStop() ? .stop : .tick
  }

  /// Runs until nothing more can run, or `shouldStop` says so (then running workers are stopped
  /// and recorded as blocked "interrupted").
  public func run(shouldStop: @escaping @Sendable () -> Bool = { false }) async throws(ConductorError) -> RunSummary {
    let problems = Self.problems(track)
    guard problems.isEmpty else { throw .invalidTrack(problems) }
    let configProblems = Rules.problems(running: trackName, in: workspace)
    if Validator.hasErrors(configProblems) && !options.force { throw .invalidConfiguration(configProblems) }
    // One run per track, and logs that can be written, before anything is changed or started.
    let lock = try RunLock.take(track: trackName, logs: log.directory)
    defer { withExtendedLifetime(lock) {} }
    for d in configProblems {
      progress("\(d.severity == .error ? "error (--force)" : "warning"): \(d.description)")
    }
    if options.force && Validator.hasErrors(configProblems) {
      for tier in Set(track.tickets.map(\.tier)).sorted() {
        for d in configProblems {
          log.append(
            tier: tier, event: "config_problem",
            [
              ("track", .string(trackName)), ("severity", .string(d.severity.rawValue)),
              ("place", .string(d.file + (d.line.map { ":\($0)" } ?? "") + (d.column.map { ":\($0)" } ?? ""))),
              ("subject", .string(d.subject)), ("message", .string(d.message)),
            ])
        }
      }
    }
    // Continue from the statuses on disk; an interrupted or half-started ticket runs again.
    updateAll { k in
      if options.reset {
        k.status = "todo"
        k.retryCount = 0
        k.blockedReason = ""
      } else if k.status == "in_progress" || (k.status == "blocked" && k.blockedReason == "interrupted") {
        k.status = "todo"
        k.blockedReason = ""
      }
    }
    try persist()
    findOutputsInLogs()

    var summary = RunSummary()
    var running: Set<String> = []
    var stopping = false
    var failure: ConductorError?
    let parallel = max(1, options.parallel)

    await withTaskGroup(of: Event.self) { group in
      group.addTask { await Self.watch(shouldStop) }
      func launchReady() throws(ConductorError) {
        guard !stopping else { return }
        while running.count < parallel {
          // (Made again after a save that read the track again, which can happen between two
          // starts.)
          if scheduledReloads != reloads {
            schedule = ReadyTickets(track.tickets, running: running)
            scheduledReloads = reloads
          }
          guard let k = schedule?.next() else { break }
          guard let (t, context) = context(ofTicketAt: k, running: running) else { continue }
          update(t.id) { $0.status = "in_progress" }
          try persistSoon()
          log.append(
            tier: t.tier, event: "worker_start",
            [
              ("track", .string(trackName)), ("ticket", .string(t.id)), ("tier", .number(Double(t.tier))),
              ("persona", context.personaJSON), ("retry", .number(Double(t.retryCount))),
            ])
          progress(
            "start   \(t.id)  tier \(t.tier)  \(context.personaID ?? "(no persona)") [\(context.personaSource.rawValue)]  "
              + "\(context.provider ?? "-")/\(context.model ?? "-")  retry \(t.retryCount)")
          running.insert(t.id)
          summary.started += 1
          outputs.reset(t.id)
          let runner = self.runner
          let streamLog = self.log
          let collected = self.outputs
          let (id, tier, track) = (t.id, t.tier, trackName)
          group.addTask {
            let outcome = await runner.run(context) { line in
              collected.append(id, line)
              streamLog.append(
                tier: tier, event: "output",
                [
                  ("track", .string(track)), ("ticket", .string(id)), ("tier", .number(Double(tier))),
                  ("line", .string(line)),
                ])
            }
            return .finished(id: id, tier: tier, outcome: outcome)
          }
        }
      }

      do { try launchReady() } catch let e as ConductorError { failure = e } catch {}
      if running.isEmpty { group.cancelAll() }  // nothing to run: only the watcher is left
      while failure == nil, let event = await group.next() {
        switch event {
        case .tick:
          if unsaved {
            do { try persistGathered() } catch let e as ConductorError {
              failure = e
              group.cancelAll()
              continue
            } catch {}
          }
          if !running.isEmpty { group.addTask { await Self.watch(shouldStop) } }
          continue
        case .stop:
          if !running.isEmpty || shouldStop() {
            stopping = true
            summary.interrupted = shouldStop()
            group.cancelAll()
          }
          if running.isEmpty { break }
          continue
        case .finished(let id, let tier, let outcome):
          running.remove(id)
          outputs.finish(id)
          var status = "done"
          var reason = ""
          var retrying = false
          switch outcome {
          case .succeeded:
            update(id) {
              $0.status = "done"
              $0.blockedReason = ""
            }
          case .interrupted:
            status = "blocked"
            reason = "interrupted"
            update(id) {
              $0.status = "blocked"
              $0.blockedReason = "interrupted"
            }
          case .failed, .timedOut:
            if case .failed(let r) = outcome { reason = r }
            if case .timedOut(let s) = outcome { reason = "timed out after \(TOMLWriter.formatFloat(s)) s" }
            // The count is the file's: the largest integer stays (blocked), it does not overflow.
            let before = ticket(id)?.retryCount ?? 0
            let retries = before == .max ? before : before + 1
            retrying = retries <= options.maxRetries && !stopping
            status = retrying ? "retry" : "blocked"
            update(id) {
              $0.retryCount = retries
              $0.status = retrying ? "todo" : "blocked"
              $0.blockedReason = retrying ? "" : reason
            }
          }
          // (Not while the schedule is of a track read before: it is made again from the statuses.)
          if scheduledReloads == reloads, let (_, k) = place(of: id) {
            let tickets = track.tickets
            if status == "done" { schedule?.done(k, in: tickets) }
            if retrying { schedule?.again(k) }
            releaseOutputs(around: k, in: tickets)
          }
          log.append(
            tier: tier, event: "worker_end",
            [
              ("track", .string(trackName)), ("ticket", .string(id)), ("tier", .number(Double(tier))),
              ("status", .string(status)), ("reason", .string(reason)),
              ("retry", .number(Double(ticket(id)?.retryCount ?? 0))),
            ])
          progress(
            status == "done"
              ? "done    \(id)" : status == "retry" ? "retry   \(id)  (\(reason))" : "blocked \(id)  \(reason)")
          do { try persistSoon() } catch let e as ConductorError {
            failure = e
            group.cancelAll()
          } catch {}
          if shouldStop() && !stopping {
            stopping = true
            summary.interrupted = true
            group.cancelAll()
          }
          do { try launchReady() } catch let e as ConductorError {
            failure = e
            group.cancelAll()
          } catch {}
          if running.isEmpty { group.cancelAll() }
        }
      }
    }
    if let failure { throw failure }
    if unsaved { try persist() }

    // The outcome, and who waits on whom.
    let final = track
    let byID = Dictionary(final.tickets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    // The blocked ticket each ticket waits on: the first met going down its dependencies in
    // order. Each ticket's answer is kept for those that depend on it, and the walk keeps a stack
    // of its own (one walk per ticket, recursive, took seconds and could overflow the stack after
    // an interrupted run of 10,000 tickets).
    var waitsOn: [String: String] = [:]  // "": on nothing blocked (or still being walked)
    func blocker(_ root: String) -> String? {
      if let known = waitsOn[root] { return known.isEmpty ? nil : known }
      waitsOn[root] = ""
      var stack: [(id: String, next: Int)] = [(root, 0)]
      var found = ""
      while let top = stack.last {
        if !found.isEmpty {
          waitsOn[top.id] = found
          stack.removeLast()
          continue
        }
        let deps = byID[top.id]?.dependsOn ?? []
        guard top.next < deps.count else {
          stack.removeLast()
          continue
        }
        stack[stack.count - 1].next += 1
        let d = deps[top.next]
        if byID[d]?.status == "blocked" {
          found = d
        } else if let known = waitsOn[d] {
          found = known
        } else if byID[d] != nil {
          waitsOn[d] = ""
          stack.append((d, 0))
        }
      }
      return found.isEmpty ? nil : found
    }
    for t in final.tickets {
      switch t.status {
      case "done": summary.done.append(t.id)
      case "blocked": summary.blocked[t.id] = t.blockedReason
      default:
        if let b = blocker(t.id) {
          summary.waiting[t.id] = b
          log.append(
            tier: t.tier, event: "waiting",
            [
              ("track", .string(trackName)), ("ticket", .string(t.id)), ("tier", .number(Double(t.tier))),
              ("on", .string(b)),
            ])
          progress("waiting \(t.id)  on \(b) (blocked)")
        }
      }
    }
    return summary
  }
}
