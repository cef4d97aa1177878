import Testing

@testable import PersonaKit

@Suite struct SourceMapTests {
  let text = """
    top = 1
    [personas."A b"]
    description = "x"  # comment with = and [brackets]
    prompt = \"\"\"
    [not.a.table]
    key = "not a key"
    \"\"\"
    models = [
      { provider = "p", model = "m" },
      { provider = "q",
        model = "n" },
    ]
    dotted.inner = 2
    [[tickets]]
    id = "T1"
    [[tickets]]
    id = "T2"
    meta = { a = 1, b = { c = 2 } }
    """

  func at(_ path: [PathSegment]) -> (Int, Int)? {
    SourceMap(scanning: text).exactPosition(of: path).map { ($0.line, $0.column) }
  }

  @Test func keysHeadersAndInlineValues() {
    #expect(at([.key("top")]) ?? (0, 0) == (1, 1))
    #expect(at([.key("personas"), .key("A b")]) ?? (0, 0) == (2, 1))
    #expect(at([.key("personas"), .key("A b"), .key("description")]) ?? (0, 0) == (3, 1))
    #expect(at([.key("personas"), .key("A b"), .key("prompt")]) ?? (0, 0) == (4, 1))
    #expect(at([.key("not")]) == nil)
    #expect(at([.key("key")]) == nil)
    #expect(at([.key("personas"), .key("A b"), .key("models"), .index(0), .key("model")]) ?? (0, 0) == (9, 21))
    #expect(at([.key("personas"), .key("A b"), .key("models"), .index(1), .key("model")]) ?? (0, 0) == (11, 5))
    #expect(at([.key("personas"), .key("A b"), .key("dotted"), .key("inner")]) ?? (0, 0) == (13, 1))
    #expect(at([.key("tickets"), .index(1), .key("id")]) ?? (0, 0) == (17, 1))
    #expect(at([.key("tickets"), .index(1), .key("meta"), .key("b"), .key("c")]) ?? (0, 0) == (18, 23))
  }

  /// Every place in a large file with CJK, emoji, CRLF lines, inline tables and arrays of tables,
  /// against line and column counted from the start of the file for each key (how they were
  /// counted before places were counted on from the previous one).
  @Test func everyPlaceIsTheOneCountedFromTheStart() throws {
    var text = "# 名前\r\n"
    var expected: [([PathSegment], String)] = []
    for i in 0..<300 {
      let name = i % 7 == 0 ? "审查员 \(i)" : i % 11 == 0 ? "🚀 \(i)" : "P\(i)"
      text += "[personas.\"\(name)\"]\(i % 5 == 0 ? "\r" : "")\n"
      expected.append(([.key("personas"), .key(name)], "[personas."))
      text += "description = \"说明 \(i) é\"\n"
      expected.append(([.key("personas"), .key(name), .key("description")], "description"))
      text += "models = [{ provider = \"p\", model = \"模型\" }, { provider = \"q\", top_p = 1 }]\n"
      expected.append(([.key("personas"), .key(name), .key("models"), .index(1), .key("top_p")], "top_p"))
      text += "[[personas.\"\(name)\".preferred_models]]\nprovider = \"p\"\n\n"
      expected.append(
        ([.key("personas"), .key(name), .key("preferred_models"), .index(0), .key("provider")], "provider"))
    }
    let map = SourceMap(scanning: text)
    let bytes = Array(text.utf8)
    var searchFrom = 0
    for (path, needle) in expected {
      // The byte where the key (or header) starts: the next occurrence of its text.
      let n = Array(needle.utf8)
      var at = searchFrom
      while !bytes[at..<(at + n.count)].elementsEqual(n) { at += 1 }
      searchFrom = at + n.count
      let (line, column) = bytes.withUnsafeBufferPointer { TOMLParser.place(ofByte: at, in: $0) }
      let p = try #require(map.exactPosition(of: path), "\(path)")
      #expect((p.line, p.column) == (line, column), "\(path)")
    }
  }

  @Test func lookupFallsBackToTheNearestKnownParent() {
    let map = SourceMap(scanning: text)
    let p = map.position(of: [.key("personas"), .key("A b"), .key("missing")])
    #expect(p?.line == 2)
  }
}
