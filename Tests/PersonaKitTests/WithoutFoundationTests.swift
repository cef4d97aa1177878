import Foundation
import TestSupport
import Testing

@testable import PersonaKit

/// What PersonaKit does itself since the program no longer links Foundation (only
/// FoundationEssentials): each against Foundation's own answer, which the tests may still use.
@Suite struct WithoutFoundationTests {
  @Test func trimmingWhitespaceAndNewlinesIsFoundations() {
    var rng = SplitMix(seed: 7)
    let pieces = [
      " ", "\t", "\n", "\r", "\u{B}", "\u{C}", "\u{85}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{3000}", "\u{200B}",
      "a", "名", "é", "e\u{301}", "😀", "x y",
    ]
    for _ in 0..<3000 {
      let n = Int(rng.next() % 8)
      let s = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
      #expect(
        String(s.trimmingWhitespaceAndNewlines) == s.trimmingCharacters(in: .whitespacesAndNewlines),
        "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
      #expect(String(s.trimmingSpaces) == s.trimmingCharacters(in: .whitespaces))
    }
  }

  @Test func streamLogTimestampsAreISO8601InUTCWithMilliseconds() {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    f.timeZone = TimeZone(identifier: "UTC")
    var rng = SplitMix(seed: 11)
    // From 1970 to 2100 to the millisecond and to the microsecond, and the edges of a second.
    var dates = [0, 1_795_000_000.999, 1_795_000_000.9996, 1_795_000_059.9999, -0.0004].map {
      Date(timeIntervalSince1970: $0)
    }
    for _ in 0..<2000 {
      dates.append(Date(timeIntervalSince1970: Double(rng.next() % 4_102_444_800_000) / 1000))
      // and microseconds, as a clock gives them
      dates.append(Date(timeIntervalSince1970: Double(rng.next() % 4_102_444_800_000_000) / 1_000_000))
    }
    for d in dates {
      #expect(StreamLog.timestamp(d) == f.string(from: d), "\(d.timeIntervalSince1970)")
    }
  }

  @Test func aTildeIsTheHomeDirectory() throws {
    let root = try #require(userHome("root"))
    #expect(expandingTilde("~", home: "/home/me") == "/home/me")
    #expect(expandingTilde("~/cfg/x", home: "/home/me/") == "/home/me/cfg/x")
    #expect(expandingTilde("~root/x", home: "/home/me") == root + "/x")
    #expect(expandingTilde("~no-such-user-here/x", home: "/home/me") == "~no-such-user-here/x")
    #expect(expandingTilde("a/~/b", home: "/home/me") == "a/~/b")
    #expect(expandingTilde("~/x", home: "/") == "/x")
    #expect(expandingTilde("~/x", home: nil) == (userHome(nil) ?? "?") + "/x")
  }

  @Test func systemErrorsReadAsTheCLibrarySaysThem() {
    #expect(throws: (any Error).self) { try Data(contentsOf: URL(fileURLWithPath: "/no/such/file")) }
    do {
      _ = try Data(contentsOf: URL(fileURLWithPath: "/no/such/file"))
    } catch {
      #expect(systemMessage(error) == "No such file or directory")
    }
    #expect(systemMessage(POSIXError(.EACCES)) == "Permission denied")
  }
}

/// The program links FoundationEssentials only: Foundation (with ICU) cost ~5 ms of every start
/// and ~6 MB of memory (docs/performance.md). A file of the product that imports it fails here.
@Test func noSourceOfTheProgramImportsFoundation() throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  var offenders: [String] = []
  for dir in ["Sources", "Resources"] {
    let base = root.appendingPathComponent(dir)
    let walk = FileManager.default.enumerator(atPath: base.path)
    while let path = walk?.nextObject() as? String {
      guard path.hasSuffix(".swift") else { continue }
      let text = try String(contentsOf: base.appendingPathComponent(path), encoding: .utf8)
      for line in text.split(separator: "\n") {
        let words = line.split(separator: " ")
        if let i = words.firstIndex(of: "import"), i + 1 < words.count, words[i + 1] == "Foundation" {
          offenders.append("\(dir)/\(path): \(line)")
        }
      }
    }
  }
  #expect(offenders.isEmpty, "\(offenders)")
}
