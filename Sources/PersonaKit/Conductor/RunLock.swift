import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One run per track: a second `dramatis run` of a track (or the dashboard's dry run of it) while
/// one goes on would start every ticket again. The lock is an advisory `flock` on `.run.lock` in
/// the track's log folder, holding the running process's pid: the kernel lets it go when that
/// process ends however it ends, so a lock left by a dead run is simply taken.
///
/// Taking it also proves the log folder can be made and written: a run whose logs would be lost
/// is refused before any worker starts.
final class RunLock: Sendable {
  let fd: Int32
  let path: String

  private init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  static func take(track: String, logs: URL) throws(ConductorError) -> RunLock {
    do {
      try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    } catch {
      throw .logsUnavailable(path: logs.path, reason: systemMessage(error))
    }
    let path = logs.appendingPathComponent(".run.lock").path
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .logsUnavailable(path: logs.path, reason: String(cString: strerror(errno))) }
    var r = flock(fd, LOCK_EX | LOCK_NB)
    while r != 0 && errno == EINTR { r = flock(fd, LOCK_EX | LOCK_NB) }
    if r != 0 {
      let busy = errno == EWOULDBLOCK
      let reason = String(cString: strerror(errno))
      let holder = Descriptor.readAll(fd)
      close(fd)
      guard busy else { throw .logsUnavailable(path: path, reason: reason) }
      let pid = Int32(String(decoding: holder, as: UTF8.self).trimmingWhitespaceAndNewlines)
      throw .alreadyRunning(track: track, pid: pid)
    }
    // The pid, for the message of a run refused meanwhile.
    _ = ftruncate(fd, 0)
    let text = Array("\(getpid())\n".utf8)
    guard pwrite(fd, text, text.count, 0) == text.count else {
      let reason = String(cString: strerror(errno))
      close(fd)
      throw .logsUnavailable(path: logs.path, reason: reason)
    }
    return RunLock(fd: fd, path: path)
  }

  deinit {
    flock(fd, LOCK_UN)
    close(fd)
  }
}
