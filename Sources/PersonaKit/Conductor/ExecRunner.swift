import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a user command per worker: the WorkerContext as JSON on its stdin, each stdout line an
/// `output` event as soon as it is written, exit 0 → done, anything else → failed with the end of
/// stderr. Past `timeout` seconds the command gets SIGTERM, then SIGKILL two seconds later.
public struct ExecRunner: Runner {
  public let command: [String]
  public let timeout: Double?
  /// How much of the end of stderr becomes the blocked reason.
  public static let stderrTail = 500

  public init(command: [String], timeout: Double? = nil) {
    self.command = command
    self.timeout = timeout
  }

  /// Set once, on the first run: the process ignores SIGPIPE (children get the default back).
  static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

  public func run(_ context: WorkerContext, output: @escaping @Sendable (String) -> Void) async -> RunOutcome {
    guard !command.isEmpty else { return .failed("no command given to the exec runner") }
    let exited = ExitSignal()
    let child: ChildProcess
    do {
      child = try ChildProcess.spawn(command)
    } catch {
      return .failed("cannot start \(command[0]): \(error.message)")
    }
    let pid = child.pid
    detachThread {
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      let signaled = (status & 0x7F) != 0
      exited.finish(signaled ? status & 0x7F : (status >> 8) & 0xFF, exited: !signaled)
    }
    let stdout = child.stdout
    let stderr = child.stderr
    let stdin = child.stdin

    // Readers on their own threads: output is passed on line by line as it arrives.
    let stdoutDone = DispatchSemaphore(value: 0)
    let flags = RunFlags()
    let stderrDone = DispatchSemaphore(value: 0)
    detachThread {
      LineReader.read(stdout, line: output)
      stdoutDone.signal()
    }
    detachThread {
      while true {
        let chunk = stderr.readSome()
        if chunk.isEmpty { break }
        flags.stderr.withLock { buf in
          buf += chunk
          if buf.count > 8192 { buf.removeFirst(buf.count - 8192) }
        }
      }
      stderrDone.signal()
    }
    // The request on stdin. A command that does not read it is fine: SIGPIPE is ignored (the
    // write fails with EPIPE instead of ending this process — whoever runs the runner).
    _ = Self.ignoreSIGPIPE
    let request = Array((JSONWriter.write(context.json, pretty: false) + "\n").utf8)
    detachThread {
      stdin.writeAll(request)
      stdin.closeDescriptor()
    }

    // The timeout runs on a thread of its own: it must not wait for a free task of the
    // cooperative pool (busy workers or blocking callers could delay it).
    if let seconds = timeout, !seconds.isNaN {
      detachThread {
        // (A timeout beyond 30 years waits 30 years; nan is no timeout — it trapped as a Duration.)
        let deadline = ContinuousClock.now + .seconds(min(max(seconds, 0), 1e9))
        while ContinuousClock.now < deadline {
          if exited.isFinished { return }
          usleep(10_000)
        }
        if !exited.isFinished {
          flags.timedOut.store(true, ordering: .relaxed)
          Self.stop(pid, exited)
        }
      }
    }
    let status = await withTaskCancellationHandler {
      await exited.wait()
    } onCancel: {
      flags.interrupted.store(true, ordering: .relaxed)
      Self.stop(pid, exited)
    }
    // Its children that outlive it (a command put in the background) end with it: the group
    // stays while any member lives. (One that left the group — setsid — is not reached.)
    kill(-pid, SIGKILL)
    // Whatever the command wrote before it ended; a grandchild holding the pipes is not waited for.
    _ = stdoutDone.wait(timeout: .now() + 1)
    _ = stderrDone.wait(timeout: .now() + 1)

    if flags.interrupted.load(ordering: .relaxed) { return .interrupted }
    if flags.timedOut.load(ordering: .relaxed) { return .timedOut(seconds: timeout ?? 0) }
    if status.code == 0 && status.exited { return .succeeded }
    let tail = String(decoding: flags.stderr.withLock { $0 }, as: UTF8.self)
    var reason = status.exited ? "exit code \(status.code)" : "killed by signal \(status.code)"
    let end = String(tail.trimmingWhitespaceAndNewlines.suffix(Self.stderrTail))
    if !end.isEmpty { reason += ": " + end }
    return .failed(reason)
  }

  /// SIGTERM to the command's process group (its children too), then SIGKILL after two seconds
  /// if it is still running.
  static func stop(_ pid: Int32, _ exited: ExitSignal) {
    kill(-pid, SIGTERM)
    detachThread {
      for _ in 0..<20 {
        if exited.isFinished { return }
        usleep(100_000)
      }
      if !exited.isFinished { kill(-pid, SIGKILL) }
    }
  }
}

/// What the threads and tasks of one exec run share.
final class RunFlags: Sendable {
  let timedOut = Atomic<Bool>(false)
  let interrupted = Atomic<Bool>(false)
  let stderr = Mutex<[UInt8]>([])
}

/// The exit of a child process, awaited once.
final class ExitSignal: Sendable {
  struct Status: Sendable {
    var code: Int32
    var exited: Bool
  }

  private struct State {
    var status: Status?
    var waiter: CheckedContinuation<Status, Never>?
  }

  private let state = Mutex(State())

  var isFinished: Bool { state.withLock { $0.status != nil } }

  func finish(_ code: Int32, exited: Bool) {
    let status = Status(code: code, exited: exited)
    let waiter = state.withLock { s -> CheckedContinuation<Status, Never>? in
      s.status = status
      defer { s.waiter = nil }
      return s.waiter
    }
    waiter?.resume(returning: status)
  }

  func wait() async -> Status {
    await withCheckedContinuation { cont in
      let ready = state.withLock { s -> Status? in
        if let st = s.status { return st }
        s.waiter = cont
        return nil
      }
      if let ready { cont.resume(returning: ready) }
    }
  }
}

/// Splits a stream into lines as it arrives (a last line without a newline counts too). Each
/// byte is looked at once, and the bytes kept are at most one line's: a line longer than
/// `longest` is given in pieces of that size (cut between characters), each but the last ending
/// with `splitMark` — a worker that writes 100 MB without a newline costs linear time and a
/// bounded buffer, and no log line is longer than the pieces.
enum LineReader {
  static let longest = 1 << 20
  static let splitMark = " [… the line goes on: longer than 1 MiB]"

  static func read(_ handle: OwnedDescriptor, line: (String) -> Void) {
    read(chunks: { handle.readSome() }, line: line)
  }

  static func read(chunks next: () -> [UInt8], longest: Int = longest, line: (String) -> Void) {
    var buffer = [UInt8]()
    // The current line starts at `start`; bytes before `scanned` hold no newline.
    var start = 0
    var scanned = 0
    func emit(_ end: Int, split: Bool = false) {
      var l = buffer[start..<end]
      if !split && l.last == 13 { l = l.dropLast() }
      line(String(decoding: l, as: UTF8.self) + (split ? splitMark : ""))
    }
    while true {
      let chunk = next()
      if chunk.isEmpty { break }
      buffer += chunk
      while true {
        // (A newline further than `longest` from the line's start ends a later piece.)
        // (A line of exactly `longest` bytes ends at the byte after them.)
        let limit = min(buffer.count, start + longest + 1)
        if let nl = buffer[scanned..<limit].firstIndex(of: 10) {
          emit(nl)
          start = nl + 1
          scanned = start
          continue
        }
        scanned = limit
        guard limit - start > longest else { break }
        // A piece of `longest` bytes, cut before a UTF-8 continuation byte.
        var cut = start + longest
        while cut > start + 1 && buffer[cut] & 0xC0 == 0x80 { cut -= 1 }
        emit(cut, split: true)
        start = cut
      }
      // What was given is dropped once it outweighs what is left (each byte moved at most once
      // more on average).
      if start > 0 && start >= buffer.count - start {
        buffer.removeSubrange(0..<start)
        scanned -= start
        start = 0
      }
    }
    if start < buffer.count { emit(buffer.count) }
  }
}

/// A child started with `posix_spawn` in a process group of its own, with pipes for its standard
/// streams. (Foundation's `Process` notices a child's end through a descriptor the child inherits;
/// a grandchild that keeps it open hides the end, so it is not used here.)
struct ChildProcess {
  struct SpawnError: Error {
    var message: String
  }

  let pid: pid_t
  let stdin: OwnedDescriptor
  let stdout: OwnedDescriptor
  let stderr: OwnedDescriptor

  /// Spawns one at a time: between `pipe` and `FD_CLOEXEC` another spawn must not inherit the pipes.
  static let lock = Mutex<Void>(())

  static func spawn(_ command: [String]) throws(SpawnError) -> ChildProcess {
    let result: Result<ChildProcess, SpawnError> = lock.withLock { _ in
      do { return .success(try spawnLocked(command)) } catch let e as SpawnError { return .failure(e) } catch {
        return .failure(SpawnError(message: "\(error)"))
      }
    }
    return try result.get()
  }

  static func pipeCloexec(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    return true
  }

  private static func spawnLocked(_ command: [String]) throws(SpawnError) -> ChildProcess {
    var inPipe: [Int32] = [0, 0]
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard pipeCloexec(&inPipe), pipeCloexec(&outPipe), pipeCloexec(&errPipe) else {
      throw SpawnError(message: String(cString: strerror(errno)))
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    // Its own process group (stopped as a whole), default signal handling and an empty mask.
    posix_spawnattr_setpgroup(&attr, 0)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attr, &empty)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let argv = ["/usr/bin/env"] + command
    var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/usr/bin/env", &actions, &attr, &cArgs, environ)
    close(inPipe[0])
    close(outPipe[1])
    close(errPipe[1])
    guard rc == 0 else {
      close(inPipe[1])
      close(outPipe[0])
      close(errPipe[0])
      throw SpawnError(message: String(cString: strerror(rc)))
    }
    return ChildProcess(
      pid: pid, stdin: OwnedDescriptor(inPipe[1]), stdout: OwnedDescriptor(outPipe[0]),
      stderr: OwnedDescriptor(errPipe[0]))
  }
}
