/// How a worker ended.
public enum RunOutcome: Sendable, Equatable {
  case succeeded
  /// The worker failed: the reason (the end of stderr, an exit code).
  case failed(String)
  case timedOut(seconds: Double)
  /// Stopped because the run was interrupted (SIGINT, SIGTERM).
  case interrupted
}

/// Executes one worker. Output lines are passed to `output` as soon as they arrive.
public protocol Runner: Sendable {
  func run(_ context: WorkerContext, output: @escaping @Sendable (String) -> Void) async -> RunOutcome
  /// A rehearsal runs no real worker: the run then changes no file but its stream logs (no status,
  /// no retry count), and marks every event it logs `"dry_run": true`.
  var isRehearsal: Bool { get }
}

extension Runner {
  public var isRehearsal: Bool { false }
}

/// Records the request it would send and succeeds.
public struct DryRunRunner: Runner {
  public init() {}

  public var isRehearsal: Bool { true }

  public func run(_ context: WorkerContext, output: @escaping @Sendable (String) -> Void) async -> RunOutcome {
    output(
      "dry-run: would send to \(context.provider ?? "(no provider)")/\(context.model ?? "(no model)") "
        + "\(context.messages.count) message(s), \(context.tools.count) tool(s)")
    output("request: " + JSONWriter.write(context.json, pretty: false))
    return .succeeded
  }
}
