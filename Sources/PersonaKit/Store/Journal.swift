import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A change to several files, all or nothing (a rename updating references, a forced delete):
/// every new file is written and synced beside its target, then a journal naming them is
/// committed (written, synced, renamed into place: it exists whole or not at all), then the
/// renames are made and the journal removed. A process killed before the commit leaves the old
/// files (its temporary files are removed by the next save); killed after it, the next command —
/// the CLI or the app, before it reads anything — finds the journal and makes the renames left.
enum Journal {
  static func url(_ dir: URL) -> URL { dir.appendingPathComponent(".dramatis-journal") }

  /// Writes the files as one change. A failure before the commit (no space left, no permission)
  /// removes what was written and says that nothing changed.
  static func commit(_ writes: [(data: Data, url: URL, previous: Data?)], journalIn dir: URL) throws(ConfigError) {
    var renames: [AtomicFile.Rename] = []
    do throws(AtomicFile.WriteError) {
      for w in writes { renames += try AtomicFile.prepare(w.data, to: w.url, previous: w.previous) }
    } catch {
      for r in renames { unlink(r.temp.path) }
      throw .writeFailed("\(error.description); nothing was changed")
    }
    let text = renames.map { "\($0.temp.path)\t\($0.final.path)\n" }.joined()
    do throws(AtomicFile.WriteError) {
      // The commit point: once this rename is made, the change is done (the next command
      // finishes it if this process does not).
      try AtomicFile.finish(
        try AtomicFile.prepare(Data(text.utf8), to: url(dir), previous: nil), reportAs: url(dir).path)
    } catch {
      for r in renames { unlink(r.temp.path) }
      throw .writeFailed("\(error.description); nothing was changed")
    }
    do throws(AtomicFile.WriteError) {
      try AtomicFile.finish(renames, reportAs: writes.first?.url.path ?? dir.path)
    } catch {
      throw .writeFailed(
        "\(error.description); the change is recorded in \(url(dir).path) and the next command completes it")
    }
    unlink(url(dir).path)
    AtomicFile.syncDirectory(dir)
  }

  /// Completes a change a killed process committed but did not finish (under the folder's lock,
  /// so as not to run beside a live writer). Returns whether there was one.
  @discardableResult
  static func recover(_ dir: URL) -> Bool {
    let journal = url(dir)
    guard access(journal.path, F_OK) == 0 else { return false }
    guard let lock = try? FolderLock.acquire(dir) else { return false }
    defer { lock.release() }
    // (Another process may have completed it while this one waited for the lock.)
    guard let data = FileManager.default.contents(atPath: journal.path) else { return false }
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: "\t", maxSplits: 1)
      guard parts.count == 2 else { continue }
      // A temporary file already renamed is gone: that rename was made.
      _ = rename(String(parts[0]), String(parts[1]))
    }
    unlink(journal.path)
    AtomicFile.syncDirectory(dir)
    return true
  }
}

/// A test hook: with `DRAMATIS_CRASH_AT=N` the process ends at once (as `kill -9` would) at the
/// N-th step of a save — each temporary file written and each rename — so that a test can stop a
/// change across files at every point of it.
enum CrashPoint {
  static let at: Int? = ProcessInfo.processInfo.environment["DRAMATIS_CRASH_AT"].flatMap { Int($0) }
  static let count = Atomic<Int>(0)

  static func step() {
    guard let at else { return }
    if count.add(1, ordering: .relaxed).newValue == at { _exit(137) }
  }
}
