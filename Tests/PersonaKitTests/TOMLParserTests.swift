import Foundation
import ScaleFixture
import Testing

@testable import PersonaKit

/// The TOML parser: every kind of value, key order, the table rules, and errors with their place.
@Suite struct TOMLParserTests {
  func parse(_ text: String) throws -> TOMLDict { try TOMLParser.parse(text).root }

  func failure(_ text: String) -> TOMLSyntaxError? {
    do {
      _ = try TOMLParser.parse(text)
      return nil
    } catch {
      return error
    }
  }

  @Test func valuesOfEveryKind() throws {
    let d = try parse(
      #"""
      s = "a\tb\n\"q\" \\ \u00E9 \U0001F600 \e"
      lit = 'C:\path\no escapes'
      ml = """
      first
        second \
          joined"""
      mll = '''
      raw \n kept'''
      quotes = """a "b" ""c"""""
      i = +1_000
      neg = -17
      hex = 0xDEAD_beef
      oct = 0o755
      bin = 0b1101
      f = 3.14
      e = -2E-2
      g = 6.626e-34
      big = 1_000.5
      inf = -inf
      nan = nan
      t = true
      ff = false
      odt = 1979-05-27T07:32:00Z
      ldt = 1979-05-27 07:32:00.999
      ld = 1979-05-27
      lt = 07:32
      arr = [ 1, "two", [3.0], { four = 4 }, ]
      """#)
    #expect(d["s"] == .string("a\tb\n\"q\" \\ é 😀 \u{1B}"))
    #expect(d["lit"] == .string(#"C:\path\no escapes"#))
    #expect(d["ml"] == .string("first\n  second joined"))
    #expect(d["mll"] == .string(#"raw \n kept"#))
    #expect(d["quotes"] == .string(#"a "b" ""c"""#))
    #expect(d["i"] == .integer(1000))
    #expect(d["neg"] == .integer(-17))
    #expect(d["hex"] == .integer(0xDEAD_BEEF))
    #expect(d["oct"] == .integer(0o755))
    #expect(d["bin"] == .integer(13))
    #expect(d["f"] == .float(3.14))
    #expect(d["e"] == .float(-0.02))
    #expect(d["g"] == .float(6.626e-34))
    #expect(d["big"] == .float(1000.5))
    #expect(d["inf"] == .float(-.infinity))
    #expect(d["nan"]?.doubleValue?.isNaN == true)
    #expect(d["t"] == .bool(true))
    #expect(d["ff"] == .bool(false))
    #expect(d["odt"] == .datetime("1979-05-27T07:32:00Z"))
    #expect(d["ldt"] == .datetime("1979-05-27 07:32:00.999"))
    #expect(d["ld"] == .datetime("1979-05-27"))
    #expect(d["lt"] == .datetime("07:32"))
    #expect(
      d["arr"]
        == .array([.integer(1), .string("two"), .array([.float(3)]), .table(TOMLDict([("four", .integer(4))]))]))
  }

  @Test func keysKeepTheOrderOfTheFileAtEveryDepth() throws {
    let d = try parse(
      """
      zeta = 1
      alpha = 2
      [b]
      y = 1
      x.z = 2
      x.a = 3
      [a]
      "quoted key" = 1
      'lit' = 2
      bare-key_1 = 3
      [[list]]
      k = 1
      [[list]]
      k = 2
      [list.sub]
      q = 1
      """)
    #expect(d.keys == ["zeta", "alpha", "b", "a", "list"])
    #expect(d["b"]?.tableValue?.keys == ["y", "x"])
    #expect(d["b"]?.tableValue?["x"]?.tableValue?.keys == ["z", "a"])
    #expect(d["a"]?.tableValue?.keys == ["quoted key", "lit", "bare-key_1"])
    let list = try #require(d["list"]?.arrayValue)
    #expect(list.count == 2)
    #expect(list[1].tableValue?["sub"]?.tableValue?["q"] == .integer(1))
  }

  @Test func inlineTablesMaySpanLinesWithCommentsAndATrailingComma() throws {
    let d = try parse(
      """
      m = { a = 1,  # the first
            b.c = 2,
          }
      e = {}
      """)
    #expect(d["m"]?.tableValue?.keys == ["a", "b"])
    #expect(d["m"]?.tableValue?["b"]?.tableValue?["c"] == .integer(2))
    #expect(d["e"] == .table(TOMLDict()))
  }

  @Test func crlfBomAndCommentsAreAccepted() throws {
    let d = try parse("\u{FEFF}# top\r\na = \"x\" # c\r\n\r\n[t]\r\nb = \"\"\"\r\nl1\r\nl2\"\"\"\r\n")
    #expect(d["a"] == .string("x"))
    #expect(d["t"]?.tableValue?["b"] == .string("l1\nl2"))
  }

  /// The usual line (one bare key, `=`) and the ones that only start like it.
  @Test func bareKeysParseHoweverSpaced() throws {
    let d = try parse("a=1\nb \t = 2\nc . d = 3\ne.f=4\n\"g\" = 5\nh-i_9 = 6\n")
    #expect(d.keys == ["a", "b", "c", "e", "g", "h-i_9"])
    #expect(d["b"] == .integer(2))
    #expect(d["c"]?.tableValue?["d"] == .integer(3))
    #expect(d["e"]?.tableValue?["f"] == .integer(4))
    #expect(d["h-i_9"] == .integer(6))
  }

  @Test func superTablesMayBeDefinedAfterTheirChildren() throws {
    let d = try parse(
      "[x.y.z]\na = 1\n[x]\nb = 2\n[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n")
    #expect(d["x"]?.tableValue?.keys == ["y", "b"])
    #expect(d["fruit"]?.tableValue?["apple"]?.tableValue?.keys == ["color", "texture"])
  }

  @Test(arguments: [
    ("a = 1\na = 2", "duplicate key [a]", 2, 1),
    // A bare key has a fast path (no array of keys); its duplicates are found however either is written.
    ("\"a\" = 1\na = 2", "duplicate key [a]", 2, 1),
    ("a = 1\n'a' = 2", "duplicate key [a]", 2, 1),
    ("t = { b = 1, b\t= 2 }", "duplicate key [b]", 1, 14),
    ("a = 1\na.b = 2", "[a] is already defined as a value, not a table", 2, 1),
    ("[t]\n[t]", "table [t] is defined twice", 2, 2),
    ("a = 1\n[a]", "[a] is already defined as a value, not a table", 2, 2),
    ("a = [1]\n[[a]]", "[a] is already defined as something other than an array of tables", 2, 3),
    ("t = { a = 1 }\n[t.b]", "inline table [t] cannot be extended", 2, 2),
    ("t = { a = 1 }\nt.b = 2", "[t] is already defined and cannot be extended here", 2, 1),
    ("[fruit]\napple.color = 1\n[fruit.apple]", "table [fruit.apple] is defined twice", 3, 8),
    ("a = \"open\nb = 1", "unterminated string (opened at column 5)", 1, 10),
    ("a = \"\"\"never closed", "unterminated multi-line string (opened at line 1)", 1, 20),
    ("a = 'x", "unterminated string (opened at column 5)", 1, 7),
    ("a = \"bad \\q\"", "unknown escape sequence \\q", 1, 10),
    ("a = \"\\u12\"", "expected 4 hexadecimal digits after \\u", 1, 10),
    ("a = 01", "invalid number \"01\"", 1, 5),
    ("a = 1__0", "invalid number \"1__0\"", 1, 5),
    ("a = 1.", "invalid number \"1.\"", 1, 5),
    ("a = .5", "expected a value (a string, number, boolean, date, array or table), found '.'", 1, 5),
    ("a = tru", "expected a value (a string, number, boolean, date, array or table), found 't'", 1, 5),
    ("a = 1 b = 2", "expected the end of the line after the value, found 'b'", 1, 7),
    ("a 1", "expected '=' after the key [a], found '1'", 1, 3),
    ("= 1", "expected a key, found '='", 1, 1),
    ("[t\na = 1", "expected ']' to close the table header, found the end of the line", 1, 3),
    ("[[t]\n", "expected ']]' to close the array-of-tables header, found ']'", 1, 4),
    ("a = [1, 2", "unterminated array: no ']' before the end of the file", 1, 5),
    ("a = { b = 1,\n", "unterminated inline table: no '}' before the end of the file", 1, 5),
    ("a = [1 2]", "expected ',' or ']' in the array, found '2'", 1, 8),
    ("a = { b = 1 c = 2 }", "expected ',' or '}' in the inline table, found 'c'", 1, 13),
    ("a = 1979-05-2", "invalid date or time: expected a digit, found the end of the file", 1, 14),
    (
      "a = \"tab\tok but bell \u{7} not\"",
      "control character U+0007 in a string (write it as an escape, e.g. \\u0007)", 1, 22
    ),
    ("a = 1 # bell \u{7}", "control character in a comment", 1, 14),
    ("a = 1\rb = 2", "expected the end of the line after the value, found the end of the line", 1, 6),
    ("\"\"\"k\"\"\" = 1", "a key cannot be a multi-line string", 1, 1),
  ])
  func errorsSayWhatAndWhere(_ text: String, _ message: String, _ line: Int, _ column: Int) {
    let e = failure(text)
    #expect(e?.message == message)
    #expect(e?.line == line)
    #expect(e?.column == column)
  }

  /// Found by the fuzzer: thousands of `[` overflowed the stack. Deep nesting is an error with
  /// its place; 100 levels still parse.
  @Test func nestingIsBoundedNotAStackOverflow() throws {
    for open in ["[", "{ a = "] {
      let deep = "x = " + String(repeating: open, count: 5000)
      let e = failure(deep)
      #expect(e?.message == "tables and arrays nested more than 100 deep")
      #expect(e?.line == 1)
    }
    let ok = "x = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    #expect(try parse(ok)["x"] != nil)
    #expect(failure("x = " + String(repeating: "[", count: 101) + String(repeating: "]", count: 101)) != nil)
  }

  /// Found by the fuzzer: a dotted key 150 long parsed, and the writer wrote it as inline tables
  /// 150 deep, which did not parse back. The depth is the tree's, however it is written: headers,
  /// arrays of tables, dotted keys and inline values all count, and the first key too deep is
  /// the place.
  @Test(
    arguments: [
      // 100 levels parse, written any way (a scalar is not a level).
      (keys(101) + " = 1", nil, nil),
      ("[" + keys(100) + "]\nz = 1", nil, nil),
      ("[[t]]\n" + keys(99) + " = 1", nil, nil),
      ("[[t]]\n[[t.u]]\n[t.u." + keys(96) + "]", nil, nil),
      ("[[t]]\nx = " + String(repeating: "{ a = ", count: 97) + "{}" + String(repeating: " }", count: 97), nil, nil),
      ("[a]\n" + keys(50) + " = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50), nil, nil),
      // One more does not; the place is the key (or bracket) at level 101.
      (keys(102) + " = 1", 1, 301),
      ("[" + keys(101) + "]", 1, 302),
      ("[[t]]\n" + keys(100) + " = 1", 2, 295),
      ("[[t]]\n[[t.u]]\n[t.u." + keys(97) + "]", 3, 294),
      ("[[t]]\nx = " + String(repeating: "{ a = ", count: 98) + "{}" + String(repeating: " }", count: 98), 2, 593),
      ("[a]\n" + keys(50) + " = " + String(repeating: "[", count: 51) + String(repeating: "]", count: 51), 2, 203),
    ] as [(String, Int?, Int?)])
  func depthCountsEveryLevelHoweverWritten(_ text: String, _ line: Int?, _ column: Int?) throws {
    guard let line, let column else {
      let tree = try parse(text)
      #expect(try TOMLParser.parse(TOMLWriter.write(tree)).root == tree)
      return
    }
    let e = failure(text)
    #expect(e?.message == "tables and arrays nested more than 100 deep")
    #expect(e?.line == line)
    #expect(e?.column == column)
  }

  @Test func columnsCountCharactersNotBytes() {
    let e = failure("\"名前\" = \"审查员\" x")
    #expect(e?.line == 1)
    #expect(e?.column == 14)
  }

  @Test func nulAndInvalidUTF8AreRefusedWithTheirPlace() {
    do {
      _ = try TOMLParser.parse(Data("a = 1\nb = \"x\u{0}\"".utf8))
      Issue.record("parsed a NUL")
    } catch {
      #expect(error == TOMLSyntaxError(message: "the file holds a NUL byte", line: 2, column: 7))
    }
    do {
      _ = try TOMLParser.parse(Data([0x61, 0x3D, 0x22, 0xC3, 0x28, 0x22]))
      Issue.record("parsed invalid UTF-8")
    } catch {
      #expect(error == TOMLSyntaxError(message: "the file is not valid UTF-8", line: 1, column: 4))
    }
    // Overlong encodings and UTF-16 surrogates are invalid too.
    #expect(TOMLParser.firstInvalidUTF8Byte([0x41, 0xC0, 0x80]) == 1)
    #expect(TOMLParser.firstInvalidUTF8Byte([0xED, 0xA0, 0x80]) == 0)
    #expect(TOMLParser.firstInvalidUTF8Byte(Array("é😀名".utf8)) == nil)
  }

  @Test func theShippedDefaultsParseAndRoundTrip() throws {
    let dir = Fixture.defaultsDir
    let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".toml") }
    #expect(files.count >= 8)
    for f in files {
      let root = try TOMLParser.parse(Data(contentsOf: dir.appendingPathComponent(f))).root
      #expect(!root.isEmpty, "\(f)")
      #expect(try TOMLParser.parse(TOMLWriter.write(root)).root == root, "\(f) round trip")
    }
  }
}

/// The generated configuration the benchmarks use is a valid one: it loads without a problem.
@Suite struct ScaleFixtureTests {
  @Test func aGeneratedConfigLoadsAndValidatesClean() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scale-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try ScaleFixture(personas: 300, tickets: 300, presets: 20).write(to: dir)
    let ws = Workspace.load(ConfigPaths(global: dir))
    #expect(ws.readDiagnostics.isEmpty)
    let config = ws.config
    #expect(config.personas.count == 300)
    #expect(config.personas.contains(ScaleFixture.personaName(3)))
    #expect(ScaleFixture.personaName(3).hasPrefix("🚀"))
    #expect(ScaleFixture.personaName(2).hasPrefix("审查员"))
    #expect(config.tracks["scale"]?.tickets.count == 300)
    let problems = Validator.validate(ws)
    #expect(problems.isEmpty, "\(problems.prefix(3))")
  }
}

/// `k0.k1.…` with `count` keys (each two or three characters and a dot).
private func keys(_ count: Int) -> String {
  (0..<count).map { "k\($0 % 10)" }.joined(separator: ".")
}
