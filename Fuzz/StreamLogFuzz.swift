import Foundation

// libFuzzer entry over the stream log reader and the dashboard's line formatting: a tier log is
// appended by several writers, hand-edited and torn, so any bytes must read without a crash or a
// trap — every line that parses as JSON must format into a dashboard line, and reading the last
// N events from the file's end must agree with reading it whole.
// Built by Fuzz/run.sh with `swiftc -sanitize=fuzzer,address` together with PersonaKit's sources.

/// Reports a broken property with its details (an -O build drops precondition messages), then stops.
func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("FUZZ FAILURE: \(message)\n".utf8))
  abort()
}

/// One folder for the run; each input is the tier 1 log in it.
let directory: URL = {
  let d = FileManager.default.temporaryDirectory.appendingPathComponent("dramatis-log-fuzz-\(getpid())")
  try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
  return d
}()
let log = StreamLog(directory: directory)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let data = Data(bytes: start, count: count)
  guard FileManager.default.createFile(atPath: log.url(tier: 1).path, contents: data) else {
    fail("cannot write the log under \(directory.path)")
  }
  let all = log.events(tier: 1)
  for e in all { _ = StreamLog.line(for: e) }
  for n in [1, 3, 50] {
    let last = log.lastEvents(tier: 1, count: n)
    if last != Array(all.suffix(n)) {
      fail("the last \(n) events differ from the whole file's:\n\(last)\n\(Array(all.suffix(n)))")
    }
  }
  // The outputs the conductor gives dependents, read from the same log.
  _ = log.lastOutputs(tier: 1)
  // Any JSON value, not only what a log holds, formats into a line.
  for line in data.split(separator: 0x0A) {
    if let v = try? JSONParser.parse(String(decoding: line, as: UTF8.self)) { _ = StreamLog.line(for: v) }
  }
  return 0
}
