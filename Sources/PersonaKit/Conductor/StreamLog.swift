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
  private let lock = Mutex<Void>(())

  /// `logs/TRACK` under the config dir.
  public init(directory: URL) {
    self.directory = directory
  }

  public func url(tier: Int) -> URL { directory.appendingPathComponent("tier\(tier).jsonl") }

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
    let line =
      JSONWriter.write(.object([("ts", .string(Self.timestamp())), ("event", .string(event))] + fields), pretty: false)
      + "\n"
    lock.withLock { _ in
      try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let fd = open(url(tier: tier).path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
      guard fd >= 0 else { return }
      defer { close(fd) }
      let bytes = Array(line.utf8)
      var offset = 0
      while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
      }
    }
  }

  /// Every event of a tier log that parses (a torn or foreign line is skipped).
  public func events(tier: Int) -> [JSONValue] {
    guard let text = try? String(contentsOf: url(tier: tier), encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
  }

  /// The output of the last finished run of a ticket (for the messages of its dependents).
  public func lastOutput(ticket: String, tier: Int) -> String? { lastOutputs(tier: tier)[ticket] }

  /// The output of the last finished (`done`) run of every ticket of a tier log, each cut to its
  /// end as its dependents are given it (`WorkerContext.tail`).
  public func lastOutputs(tier: Int) -> [String: String] {
    var current: [String: (text: String, leftOut: Int)] = [:]
    var finished: [String: String] = [:]
    for e in events(tier: tier) {
      guard let ticket = e["ticket"]?.string else { continue }
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
}
