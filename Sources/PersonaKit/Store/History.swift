import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// Every change the user asked for, with the bytes it replaced: `history/N.toml` in the global
/// config dir, one file a change (time, command, summary, each file's bytes before and after),
/// the oldest dropped beyond `limit` changes. `dramatis history`, `diff N` and `undo N` read it.
public enum History {
  /// How many changes are kept, and how many bytes at most (each keeps the files it wrote before
  /// and after: with a config of thousands of personas a change is megabytes). The newest change
  /// is always kept.
  public static let limit = 200
  public static let byteLimit = 64 << 20

  public struct FileChange: Sendable, Equatable {
    public var path: String
    /// Nil: the change made the file.
    public var before: String?
    public var after: String
  }

  public struct Entry: Sendable, Equatable {
    public var number: Int
    public var time: String
    public var command: String
    public var summary: String
    public var files: [FileChange]
  }

  static func dir(_ paths: ConfigPaths) -> URL { paths.global.appendingPathComponent("history") }

  /// The command as the history names it: the program's arguments without the global options
  /// (the app: "dramatis").
  static let command: String = {
    var words: [String] = []
    var skipValue = false
    for arg in CommandLine.arguments.dropFirst() {
      if skipValue {
        skipValue = false
      } else if ConfigPaths.optionNames.contains(arg) {
        skipValue = true
      } else if !ConfigPaths.optionNames.contains(where: { arg.hasPrefix($0 + "=") }) {
        words.append(arg)
      }
    }
    return (["dramatis"] + words).joined(separator: " ")
  }()

  /// Records a change just written. A failure to record does not undo the change (it is said on
  /// the next `history`: the numbers skip).
  static func record(_ summary: String, files: [FileChange], paths: ConfigPaths) {
    let dir = dir(paths)
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let numbers = Self.numbers(paths)
    let number = (numbers.last ?? 0) + 1
    var root = TOMLDict()
    root["number"] = .integer(number)
    root["time"] = .string(StreamLog.timestamp())
    root["command"] = .string(command)
    root["summary"] = .string(summary)
    root["files"] = .array(
      files.map { f in
        var t = TOMLDict()
        t["path"] = .string(f.path)
        if let before = f.before { t["before"] = .string(before) }
        t["after"] = .string(f.after)
        return .table(t)
      })
    try? AtomicFile.write(
      Data(TOMLWriter.write(root).utf8), to: dir.appendingPathComponent("\(number).toml"), previous: nil)
    var kept = (numbers + [number]).map { n -> (Int, Int) in
      var st = stat()
      return (n, stat(dir.appendingPathComponent("\(n).toml").path, &st) == 0 ? Int(st.st_size) : 0)
    }
    var total = kept.reduce(0) { $0 + $1.1 }
    while kept.count > 1 && (kept.count > limit || total > byteLimit) {
      let (old, size) = kept.removeFirst()
      unlink(dir.appendingPathComponent("\(old).toml").path)
      total -= size
    }
  }

  /// The numbers of the changes kept, oldest first.
  static func numbers(_ paths: ConfigPaths) -> [Int] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir(paths).path)) ?? [])
      .compactMap { $0.hasSuffix(".toml") ? Int($0.dropLast(5)) : nil }.sorted()
  }

  /// Every change kept, oldest first.
  public static func entries(_ paths: ConfigPaths) -> [Entry] {
    numbers(paths).compactMap { entry($0, paths) }
  }

  public static func entry(_ number: Int, _ paths: ConfigPaths) -> Entry? {
    guard let data = FileManager.default.contents(atPath: dir(paths).appendingPathComponent("\(number).toml").path),
      let root = try? TOMLParser.parse(data).root
    else { return nil }
    let files = (root["files"]?.arrayValue ?? []).compactMap { node -> FileChange? in
      guard let t = node.tableValue, let path = t["path"]?.stringValue, let after = t["after"]?.stringValue else {
        return nil
      }
      return FileChange(path: path, before: t["before"]?.stringValue, after: after)
    }
    return Entry(
      number: number, time: root["time"]?.stringValue ?? "", command: root["command"]?.stringValue ?? "",
      summary: root["summary"]?.stringValue ?? "", files: files)
  }

  /// The lines of a change, file by file (`LineDiff`).
  public static func diff(_ entry: Entry) -> [String] { diff(entry.files) }

  /// The lines of file changes (a change of the history, or one about to be saved).
  public static func diff(_ files: [FileChange]) -> [String] {
    files.flatMap { f -> [String] in
      let before = f.before.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
      let after = f.after.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      return ["--- \(f.path)" + (f.before == nil ? " (made by the change)" : "")] + LineDiff.lines(before, after)
    }
  }
}

extension History {
  /// Restores the files as they were before change `number`, as one change of its own (recorded
  /// too). Refused when a file changed since in a way the undo would overwrite — its bytes are not
  /// the ones the change left —, naming each such file; nothing is written then.
  @discardableResult
  public static func undo(_ number: Int, paths: ConfigPaths) throws(ConfigError) -> Entry {
    guard let entry = entry(number, paths) else {
      throw .invalid("no change number \(number) in the history (dramatis history lists them)")
    }
    Journal.recover(paths.global)
    var locks: [FolderLock] = []
    defer { locks.forEach { $0.release() } }
    for dir in [paths.global, paths.project].compactMap({ $0 }) { locks.append(try FolderLock.acquire(dir)) }
    var now: [String: Data?] = [:]
    var changedSince: [String] = []
    for f in entry.files {
      let current = FileManager.default.contents(atPath: f.path)
      now[f.path] = current
      if current != Data(f.after.utf8) { changedSince.append(f.path) }
    }
    if !changedSince.isEmpty {
      throw .invalid(
        "cannot undo change \(number) (\(entry.summary)): changed since, the undo would overwrite that: "
          + changedSince.joined(separator: ", "))
    }
    let writes = entry.files.compactMap { f -> (data: Data, url: URL, previous: Data?)? in
      guard let before = f.before else { return nil }
      return (Data(before.utf8), URL(fileURLWithPath: f.path), now[f.path] ?? nil)
    }
    if writes.count == 1 {
      do { try AtomicFile.write(writes[0].data, to: writes[0].url, previous: writes[0].previous) } catch {
        throw .writeFailed(error.description)
      }
    } else if writes.count > 1 {
      try Journal.commit(writes, journalIn: paths.global)
    }
    // A file the change made: the undo removes it.
    for f in entry.files where f.before == nil { unlink(f.path) }
    record(
      "undo change \(number) (\(entry.summary))",
      files: entry.files.map { FileChange(path: $0.path, before: $0.after, after: $0.before ?? "") }, paths: paths)
    return entry
  }
}
