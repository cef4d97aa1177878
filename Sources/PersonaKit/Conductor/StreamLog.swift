import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The tier stream logs: `logs/TRACK/tierN.jsonl`, JSON lines, append-only. Each event is one
/// `write` of one whole line to a file opened with O_APPEND, so lines from parallel workers never
/// interleave and a reader (the dashboard, `tail -f`) only ever sees whole lines.
public final class StreamLog: Sendable {
  public let directory: URL
  /// `directory`'s path, made once (a run appends tens of thousands of events).
  private let directoryPath: String
  private let lock = Mutex<Void>(())
  /// Fields every event of this log carries after its own (`"dry_run": true` for a rehearsal).
  let marks: [(String, JSONValue)]

  /// `logs/TRACK` under the config dir.
  public init(directory: URL, marks: [(String, JSONValue)] = []) {
    self.directory = directory
    directoryPath = directory.path
    self.marks = marks
  }

  public func url(tier: Int) -> URL { directory.appendingPathComponent("tier\(tier).jsonl") }
  func path(tier: Int) -> String { directoryPath + "/tier\(tier).jsonl" }

  /// `2026-11-25T14:02:11.532Z`.
  public static func timestamp(_ date: Date = Date()) -> String {
    // To the nearest millisecond (as Foundation's formatter did; a time kept as a Double is often
    // a hair below the millisecond it stands for).
    let ms = (date.timeIntervalSince1970 * 1000).rounded()
    let whole = (ms / 1000).rounded(.down)
    var seconds = time_t(whole)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    let millis = Int(ms - whole * 1000)
    func pad(_ n: Int, _ width: Int) -> String {
      let digits = String(n)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
      + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2) + "."
      + pad(millis, 3) + "Z"
  }

  /// Appends one event (`ts` and `event` first, then the fields given).
  public func append(tier: Int, event: String, _ fields: [(String, JSONValue)]) {
    var line = JSONWriter.bytes(
      .object([("ts", .string(Self.timestamp())), ("event", .string(event))] + fields + marks), pretty: false)
    line.append(0x0A)
    lock.withLock { _ in
      let path = path(tier: tier)
      var fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
      if fd < 0 && errno == ENOENT {  // the first event, or the directory removed meanwhile
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
      }
      guard fd >= 0 else { return }
      defer { close(fd) }
      Descriptor.writeAll(fd, line)
    }
  }

  /// Every event of a tier log that parses (a torn or foreign line is skipped). Lines are split
  /// at the byte 10 and decoded one by one, as `lastEvents` reads them: a CR LF is not one line
  /// end here and another there, and a byte that is not UTF-8 spoils its own line, not the log.
  public func events(tier: Int) -> [JSONValue] {
    var out: [JSONValue] = []
    forEachLine(tier: tier) { line in
      guard !line.isEmpty, let v = try? JSONParser.parse(String(decoding: line, as: UTF8.self)) else { return }
      out.append(v)
    }
    return out
  }

  /// The last `count` events of a tier log that parse, read from its end: the log of a big track
  /// is hundreds of MB, and the dashboard shows a screenful of it on every frame (it parsed the
  /// whole file every frame).
  public func lastEvents(tier: Int, count: Int) -> [JSONValue] {
    guard count > 0 else { return [] }
    let fd = open(path(tier: tier), O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    let size = Int(lseek(fd, 0, SEEK_END))
    // Lines from the end, 64 KB read at a time, until `count` of them parse (torn or foreign lines
    // are skipped, as `events` skips them, however many there are).
    var found: [JSONValue] = []
    // The pieces of the line being read backwards, its last piece first.
    var partial: [[UInt8]] = []
    func take(_ bytes: [UInt8]) {
      if !bytes.isEmpty, let v = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)) { found.append(v) }
    }
    var pos = size
    reading: while pos > 0 {
      let n = min(64 << 10, pos)
      pos -= n
      let chunk = Descriptor.readBytes(fd, count: n, at: pos)
      guard chunk.count == n else { return [] }
      var end = chunk.endIndex
      while let nl = chunk[..<end].lastIndex(of: 10) {
        take(Array(chunk[(nl + 1)..<end]) + partial.reversed().joined())
        partial = []
        if found.count == count { break reading }
        end = nl
      }
      partial.append(Array(chunk[..<end]))
    }
    if pos == 0 && found.count < count { take(Array(partial.reversed().joined())) }
    return found.reversed()
  }

  /// Each line of a tier log, read a megabyte at a time (never the whole file at once).
  func forEachLine(tier: Int, _ body: (ArraySlice<UInt8>) -> Void) {
    let fd = open(path(tier: tier), O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var pending: [UInt8] = []
    var atEnd = false
    while !atEnd {
      // A megabyte at a time: the lines of a big track's log are up to ~90 KB long.
      while pending.count < 1 << 20 {
        let chunk = Descriptor.readSome(fd)
        if chunk.isEmpty {
          atEnd = true
          break
        }
        pending += chunk
      }
      var start = pending.startIndex
      while let nl = pending[start...].firstIndex(of: 10) {
        body(pending[start..<nl])
        start = nl + 1
      }
      pending.removeSubrange(..<start)
    }
    if !pending.isEmpty { body(pending[...]) }
  }

  /// The ticket a log line is about, read from its text without parsing it (`"ticket":"T-1"`,
  /// as this log writes it); nil when it is not there as plain text.
  static func ticketOfLine(_ line: ArraySlice<UInt8>) -> Substring? {
    // A plain loop: `firstRange(of:)` (the string-processing library's generic search) made a
    // run's reading of a 10,000-ticket log ~25 % slower.
    let key = Array(#""ticket":""#.utf8)
    var i = line.startIndex
    while i + key.count <= line.endIndex {
      if line[i] == key[0] && line[i..<(i + key.count)].elementsEqual(key) {
        let from = i + key.count
        guard let end = line[from...].firstIndex(of: 34), !line[from..<end].contains(92) else { return nil }
        return Substring(decoding: line[from..<end], as: UTF8.self)
      }
      i += 1
    }
    return nil
  }

  /// The output of the last finished run of a ticket (for the messages of its dependents).
  public func lastOutput(ticket: String, tier: Int) -> String? { lastOutputs(tier: tier, of: [ticket])[ticket] }

  /// The output of the last finished (`done`) run of each of `tickets` in a tier log (all when
  /// nil), each cut to its end as its dependents are given it (`WorkerContext.tail`). The log is
  /// read in parts, and only the lines of those tickets are parsed.
  public func lastOutputs(tier: Int, of tickets: Set<String>? = nil) -> [String: String] {
    var current: [String: (text: String, leftOut: Int)] = [:]
    var finished: [String: String] = [:]
    forEachLine(tier: tier) { line in
      if let tickets, let id = Self.ticketOfLine(line), !tickets.contains(String(id)) { return }
      guard let e = try? JSONParser.parse(String(decoding: line, as: UTF8.self)),
        let ticket = e["ticket"]?.string, tickets?.contains(ticket) ?? true
      else { return }
      switch e["event"]?.string {
      case "worker_start": current[ticket] = ("", 0)
      case "output":
        guard let l = e["line"]?.string, var c = current.removeValue(forKey: ticket) else { break }
        WorkerContext.collect(l, into: &c.text, leftOut: &c.leftOut)
        current[ticket] = c
      case "worker_end":
        if e["status"]?.string == "done", let c = current[ticket] {
          finished[ticket] = WorkerContext.tail(c.text, leftOut: c.leftOut)
        }
        current[ticket] = nil
      default: break
      }
    }
    return finished
  }

  /// One event as the dashboard shows it: a worker_start names its persona and model. Any JSON
  /// object gives a line: logs are hand-edited and torn, and a number in one may be anything
  /// (it is formatted, never converted to Int).
  public static func line(for e: JSONValue) -> String {
    let ts = String((e["ts"]?.string ?? "").dropFirst(11).prefix(12))
    let ticket = e["ticket"]?.string ?? "?"
    let rehearsal = e["dry_run"] == .bool(true) ? " (dry run)" : ""
    switch e["event"]?.string {
    case "worker_start":
      let p = e["persona"]
      return
        "\(ts) \(ticket) start  \(p?["name"]?.string ?? "(none)") [\(p?["source"]?.string ?? "")] "
        + "\(p?["provider"]?.string ?? "-")/\(p?["model"]?.string ?? "-") "
        + "retry \(JSONWriter.formatNumber(e["retry"]?.number ?? 0))\(rehearsal)"
    case "output": return "\(ts) \(ticket) │ \(e["line"]?.string ?? "")"
    case "worker_end":
      let reason = e["reason"]?.string ?? ""
      return "\(ts) \(ticket) end    \(e["status"]?.string ?? "")" + (reason.isEmpty ? "" : ": \(reason)") + rehearsal
    case "waiting": return "\(ts) \(ticket) waiting on \(e["on"]?.string ?? "?")"
    case "config_problem":
      return "\(ts) \(e["severity"]?.string ?? "problem"): \(e["place"]?.string ?? "") \(e["message"]?.string ?? "")"
    default: return "\(ts) \(ticket) \(e["event"]?.string ?? "?")"
    }
  }
}
