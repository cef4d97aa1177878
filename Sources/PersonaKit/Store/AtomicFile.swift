import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file so that a crash at any moment leaves the old file or the new one, never a mix:
/// a temporary file in the same folder, fsync, the previous version kept as `FILE.bak`, rename,
/// fsync of the folder. A symbolic link (a config kept in a dotfiles repository) is written
/// through: its target is replaced in the target's own folder and the link stays. The file keeps
/// its mode and, where the process may set them, its owner and group.
public enum AtomicFile {
  public struct WriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): cannot save: \(reason)" }
  }

  public static func write(_ data: Data, to link: URL, previous: Data?) throws(WriteError) {
    let renames = try prepare(data, to: link, previous: previous)
    try finish(renames, reportAs: link.path)
  }

  /// A temporary file written and synced, waiting to be renamed over its final name.
  public struct Rename: Sendable {
    public var temp: URL
    public var final: URL
  }

  /// The first half of a write: the new bytes (and the previous ones, for `FILE.bak`) in
  /// temporary files beside the target, synced; nothing visible changes. On a failure the
  /// temporary files made are removed.
  public static func prepare(_ data: Data, to link: URL, previous: Data?) throws(WriteError) -> [Rename] {
    let url = target(of: link)
    let dir = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw WriteError(path: url.path, reason: "cannot create \(dir.path): \(systemMessage(error))")
    }
    removeStaleTemporaries(of: url)
    var st = stat()
    let existing = stat(url.path, &st) == 0 ? st : nil
    let mode = existing.map { $0.st_mode & 0o7777 } ?? 0o644
    let owner = existing.map { ($0.st_uid, $0.st_gid) }
    var renames: [Rename] = []
    do throws(WriteError) {
      if let previous {
        let bak = url.appendingPathExtension("bak")
        renames.append(
          Rename(
            temp: try writeTemp(previous, finalURL: bak, mode: mode, owner: owner, reportAs: link.path), final: bak))
      }
      renames.append(
        Rename(temp: try writeTemp(data, finalURL: url, mode: mode, owner: owner, reportAs: link.path), final: url))
    } catch {
      for r in renames { unlink(r.temp.path) }
      throw error
    }
    return renames
  }

  /// The second half: each temporary file renamed over its final name, then the folders synced.
  public static func finish(_ renames: [Rename], reportAs: String) throws(WriteError) {
    for r in renames {
      guard rename(r.temp.path, r.final.path) == 0 else {
        let reason = "rename failed: \(errnoText())"
        unlink(r.temp.path)
        throw WriteError(path: reportAs, reason: reason)
      }
      CrashPoint.step()
    }
    for dir in Set(renames.map { $0.final.deletingLastPathComponent().path }) {
      syncDirectory(URL(fileURLWithPath: dir))
    }
  }

  /// The file a path names once every symbolic link on the way is followed (the path itself when
  /// it is not a link, or when the link's target does not exist yet: then the target's path).
  public static func target(of url: URL) -> URL {
    var current = url.path
    for _ in 0..<40 {  // (the kernel's own limit on links followed)
      var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(current, &buf, buf.count - 1)
      guard n > 0 else { break }
      let dest = String(decoding: buf[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current =
        dest.hasPrefix("/")
        ? dest : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(dest).path
    }
    return URL(fileURLWithPath: current)
  }

  /// Writes and syncs a temporary file beside `finalURL`; returns its URL.
  private static func writeTemp(
    _ data: Data, finalURL: URL, mode: mode_t, owner: (uid_t, gid_t)?, reportAs: String
  ) throws(WriteError) -> URL {
    let dir = finalURL.deletingLastPathComponent()
    let temp = dir.appendingPathComponent(
      ".\(finalURL.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw WriteError(path: reportAs, reason: "cannot create \(temp.path): \(errnoText())") }
    var ok = true
    var reason = ""
    data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      var offset = 0
      while offset < buffer.count {
        let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          ok = false
          reason = "write failed: \(errnoText())"
          return
        }
        offset += n
      }
    }
    // The owner and group the file had (root editing a user's file, a shared group): kept where
    // the process may set them; where it may not, the file becomes the writer's, as any editor's
    // save does.
    if ok, let (uid, gid) = owner, uid != geteuid() || gid != getegid() { _ = fchown(fd, uid, gid) }
    // The mode again after the owner (fchown may clear set-id bits), and past the umask.
    if ok { _ = fchmod(fd, mode) }
    if ok && fsync(fd) != 0 {
      ok = false
      reason = "fsync failed: \(errnoText())"
    }
    close(fd)
    if !ok {
      unlink(temp.path)
      throw WriteError(path: reportAs, reason: reason)
    }
    CrashPoint.step()
    return temp
  }

  /// Temporary files left by a writer that was killed (`kill -9`) before its rename: removed when
  /// their process is gone.
  static func removeStaleTemporaries(of url: URL) {
    let dir = url.deletingLastPathComponent()
    for name in [url.lastPathComponent, url.lastPathComponent + ".bak"] {
      let prefix = ".\(name).tmp-"
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where entry.hasPrefix(prefix)
      {
        guard let pid = Int32(entry.dropFirst(prefix.count).split(separator: "-").first ?? "") else { continue }
        if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
          unlink(dir.appendingPathComponent(entry).path)
        }
      }
    }
  }

  static func syncDirectory(_ dir: URL) {
    let fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}
