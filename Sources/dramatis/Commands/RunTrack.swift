import ArgumentParser
import FoundationEssentials
import PersonaKit
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The signal that asked `dramatis run` to stop (0: none); the handler only stores it.
let stopSignal = Atomic<Int32>(0)

struct RunTrack: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a track through the conductor, writing the tier stream logs.",
    discussion: """
      Tickets whose dependencies are done run as workers, up to --parallel at once, each with its resolved \
      persona. The dry-run runner records the request it would send; the exec runner starts CMD per worker \
      with the WorkerContext as JSON on stdin (see docs/conductor.md). Ctrl-C or SIGTERM starts no new \
      worker, stops the running ones (recorded as blocked "interrupted") and leaves every file consistent; \
      running again continues from the statuses on disk.
      """)
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The track (a file name under tracks/, without .toml).") var track: String
  @Option(help: "dry-run or exec.") var runner: String = "dry-run"
  @Option(help: "Workers at once.") var parallel: Int = 2
  @Option(name: .customLong("max-retries"), help: "Retries of a failed ticket (the next preferred model each time).")
  var maxRetries: Int = 2
  @Option(help: "Seconds a worker may run before it is stopped and its ticket blocked.") var timeout: Double?
  @Flag(help: "Start over: every ticket back to todo, retry_count 0.") var reset = false
  @Flag(help: "Run although the configuration has errors; each is recorded in the tier logs.") var force = false
  @Argument(parsing: .postTerminator, help: "With --runner exec: the command and its arguments, after --.")
  var command: [String] = []

  func validate() throws {
    guard runner == "dry-run" || runner == "exec" else { throw ValidationError("--runner is dry-run or exec") }
    if runner == "exec" && command.isEmpty { throw ValidationError("--runner exec needs a command after --") }
    if runner == "dry-run" && !command.isEmpty { throw ValidationError("a command after -- needs --runner exec") }
    guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
    guard maxRetries >= 0 else { throw ValidationError("--max-retries cannot be negative") }
    // `!(> 0)`: nan is refused too (it trapped when made a Duration); inf is no timeout.
    if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be more than 0") }
  }

  func run() async throws {
    let ws = try reporting { try global.workspace() }
    let chosen: Runner = runner == "exec" ? ExecRunner(command: command, timeout: timeout) : DryRunRunner()
    for sig in [SIGINT, SIGTERM] {
      signal(sig) { s in stopSignal.store(s, ordering: .relaxed) }
    }
    signal(SIGPIPE, SIG_IGN)
    let engine: ConductorEngine
    do {
      engine = try ConductorEngine(
        workspace: ws, track: track, runner: chosen,
        options: ConductorOptions(parallel: parallel, maxRetries: maxRetries, reset: reset, force: force),
        progress: { Output.line($0) })
    } catch {
      Output.note(error.description)
      throw ExitCode(1)
    }
    let summary: RunSummary
    do {
      summary = try await engine.run { stopSignal.load(ordering: .relaxed) != 0 }
    } catch {
      Output.note(error.description)
      throw ExitCode(1)
    }
    Output.line(
      "\(summary.done.count) done, \(summary.blocked.count) blocked, \(summary.waiting.count) waiting"
        + (summary.interrupted ? ", interrupted" : "") + "; logs in \(engine.log.directory.path)"
        + (chosen.isRehearsal ? " (dry run: the track file is unchanged)" : ""))
    if summary.started == 0 && !summary.interrupted {
      Output.note(
        summary.succeeded
          ? "nothing to run: every ticket is done (--reset starts over)"
          : "nothing could run: the tickets left wait on blocked ones (--reset starts over)")
    }
    let sig = stopSignal.load(ordering: .relaxed)
    if summary.interrupted && sig != 0 { throw ExitCode(128 + sig) }
    if !summary.succeeded { throw ExitCode(1) }
  }
}
