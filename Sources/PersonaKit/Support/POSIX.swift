import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading and writing a file descriptor whole, with `EINTR` retried (without Foundation's
/// `FileHandle`).
public enum Descriptor {
  /// The next bytes (up to 64 KiB) as they arrive; empty at the end of the stream or on an error.
  public static func readSome(_ fd: Int32) -> [UInt8] {
    guard fd >= 0 else { return [] }
    let chunk = 65536
    // Not zeroed first: `read` fills what it returns.
    return [UInt8](unsafeUninitializedCapacity: chunk) { buffer, count in
      var r: Int
      repeat { r = read(fd, buffer.baseAddress, chunk) } while r < 0 && errno == EINTR
      count = max(0, r)
    }
  }

  /// `count` bytes at `offset` of a file (fewer at its end or on an error), without moving its
  /// position.
  public static func readBytes(_ fd: Int32, count: Int, at offset: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { buffer, got in
      got = 0
      while got < count {
        let r = pread(fd, buffer.baseAddress! + got, count - got, off_t(offset + got))
        if r < 0 && errno == EINTR { continue }
        if r <= 0 { break }
        got += r
      }
    }
  }

  /// Everything up to the end of the stream (or the first error).
  public static func readAll(_ fd: Int32) -> [UInt8] {
    var all: [UInt8] = []
    while true {
      let chunk = readSome(fd)
      if chunk.isEmpty { return all }
      all += chunk
    }
  }

  /// Writes every byte; false when the descriptor fails first (the reader went away).
  @discardableResult
  public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    return bytes.withUnsafeBytes { p in
      while offset < p.count {
        let r = write(fd, p.baseAddress! + offset, p.count - offset)
        if r < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += r
      }
      return true
    }
  }
}

/// A file descriptor owned by one object: closed once, when it is closed or freed (the pipes of
/// the exec runner's child).
public final class OwnedDescriptor: @unchecked Sendable {
  // One thread uses a descriptor at a time (a reader, or a writer); closing is idempotent.
  private var fd: Int32

  public init(_ fd: Int32) { self.fd = fd }

  deinit { closeDescriptor() }

  public func readSome() -> [UInt8] { Descriptor.readSome(fd) }

  @discardableResult
  public func writeAll(_ bytes: [UInt8]) -> Bool { Descriptor.writeAll(fd, bytes) }

  public func closeDescriptor() {
    if fd >= 0 { _ = close(fd) }
    fd = -1
  }
}

/// Starts `body` on a thread of its own: the thread, or the error number when the system gives none.
private func startThread(_ body: @escaping @Sendable () -> Void) -> Result<pthread_t, ThreadError> {
  final class Box: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }
  let box = Unmanaged.passRetained(Box(body)).toOpaque()
  var thread = pthread_t()
  let rc = pthread_create(
    &thread, nil,
    { raw in
      Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
      return nil
    }, box)
  guard rc == 0 else {
    Unmanaged<Box>.fromOpaque(box).release()
    return .failure(ThreadError(code: rc))
  }
  return .success(thread)
}

private struct ThreadError: Error {
  let code: Int32
}

/// Runs `body` on a thread of its own (not a task of the cooperative pool, which blocking reads
/// and waits would hold), detached: nobody joins it.
public func detachThread(_ body: @escaping @Sendable () -> Void) {
  switch startThread(body) {
  case .success(let thread):
    pthread_detach(thread)
  case .failure(let error):
    // As Foundation's `Thread`: without a thread the run cannot go on (its readers would be
    // missing and the child could block on a full pipe).
    fatalError("cannot start a thread: \(String(cString: strerror(error.code)))")
  }
}

/// Calls `body` with every index below `count`, on this thread and on up to one thread of its own
/// per other core — `threads` in all at most —, and returns when all are done. The threads end
/// with the work: nothing is left behind (libdispatch's pool kept a parked thread and its stack
/// for the life of the program).
public func performConcurrently(
  _ count: Int, threads limit: Int = .max, _ body: @escaping @Sendable (Int) -> Void
) {
  final class Work: Sendable {
    let next = Atomic<Int>(0)
    let count: Int
    let body: @Sendable (Int) -> Void
    init(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
      self.count = count
      self.body = body
    }
    func run() {
      while true {
        let i = next.add(1, ordering: .relaxed).oldValue
        guard i < count else { return }
        body(i)
      }
    }
  }
  let work = Work(count, body)
  let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  var threads: [pthread_t] = []
  for _ in 0..<max(0, min(cores, count, limit) - 1) {
    // Without a thread the work is only slower: this thread does it all.
    guard case .success(let thread) = startThread(work.run) else { break }
    threads.append(thread)
  }
  work.run()
  for thread in threads { pthread_join(thread, nil) }
}

/// Gives the memory that malloc holds free back to the system: glibc's `malloc_trim`, looked up
/// when needed (it is not in Swift's Glibc module, and other C libraries have none, which makes
/// this do nothing). glibc keeps freed memory for later allocations; after a reload the whole
/// previous configuration is free, and with 10,000 personas the app stayed at twice its size
/// (55 → 97 MB) for the rest of its run.
public func returnFreeMemory() {
  typealias Trim = @convention(c) (Int) -> Int32
  guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "malloc_trim") else { return }
  _ = unsafeBitCast(symbol, to: Trim.self)(0)
}

/// A system error as a person reads it: the C library's text for its `errno` ("Permission
/// denied"), also when Foundation wrapped it; the error's own description otherwise.
public func systemMessage(_ error: any Error) -> String {
  if let posix = (error as? POSIXError) ?? ((error as? CocoaError)?.underlying as? POSIXError) {
    return String(cString: strerror(posix.code.rawValue))
  }
  return String(describing: error)
}
