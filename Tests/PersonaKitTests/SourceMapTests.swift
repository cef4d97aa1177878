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

  @Test func lookupFallsBackToTheNearestKnownParent() {
    let map = SourceMap(scanning: text)
    let p = map.position(of: [.key("personas"), .key("A b"), .key("missing")])
    #expect(p?.line == 2)
  }
}
