import Testing

@testable import TermUI

@Suite struct DisplayWidthTests {
  @Test(arguments: [
    ("abc", 3), ("日本語", 6), ("ｱ", 1), ("Ａ", 2), ("한국어", 6),
    ("🤖", 2), ("🚀x", 3), ("⌨", 1), ("⌨️", 2), ("❤", 1), ("❤️", 2), ("1️⃣", 2),
    ("👩‍💻", 2), ("👨‍👩‍👧", 2), ("🇯🇵", 2),
    ("e\u{301}", 1), ("a\u{300}\u{316}", 1), ("\u{301}", 1), ("a\u{200D}b", 2), ("\u{200B}", 0),
    ("\u{1B}", 2), ("\u{7}", 2), ("\u{7F}", 2), ("\u{9B}", 1), ("a\u{202E}b", 3), ("\r\n", 4),
  ])
  func widths(_ text: String, _ expected: Int) {
    #expect(DisplayWidth.of(text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
  }

  @Test func controlCharactersAreDrawnEscaped() {
    var b = Buffer(width: 20, height: 1)
    b.write("a\u{1B}[2Jb\u{7}\u{9B}\u{202E}c", x: 0, y: 0, style: .plain)
    #expect(b.line(0).hasPrefix("a^[[2Jb^G\u{FFFD}\u{FFFD}c"))
    for cell in b.cells {
      for u in cell.text.unicodeScalars { #expect(!DisplayWidth.isControl(u)) }
    }
  }

  @Test func combiningMarksStayWithTheirBase() {
    var b = Buffer(width: 4, height: 1)
    b.write("e\u{301}x", x: 0, y: 0, style: .plain)
    #expect(b[0, 0].text == "e\u{301}")
    #expect(b[1, 0].text == "x")
  }

  @Test func wideCharactersAreNeverSplitAtAClipEdge() {
    var b = Buffer(width: 6, height: 2)
    let end = b.write("ab日本", x: 0, y: 0, style: .plain, clip: Rect(x: 0, y: 0, width: 5, height: 1))
    #expect(b.line(0) == "ab日  ")
    #expect(b[2, 0].width == 2 && b[3, 0].isContinuation)
    #expect(b[4, 0].text == " ")
    #expect(end == 5)
    // Scrolled one column to the left: the cut wide character becomes a space.
    b.write("日本x", x: -1, y: 1, style: .plain)
    #expect(b.line(1) == " 本x  ")
  }

  @Test func wideCharacterAtTheLastColumnOfTheBuffer() {
    var b = Buffer(width: 3, height: 1)
    b.write("ab日", x: 0, y: 0, style: .plain)
    #expect(b.line(0) == "ab ")
  }

  @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
    var b = Buffer(width: 4, height: 1)
    b.write("日本", x: 0, y: 0, style: .plain)
    b.write("x", x: 1, y: 0, style: .plain)
    #expect(b.line(0) == " x本")
    b.write("y", x: 2, y: 0, style: .plain)
    #expect(b.line(0) == " xy ")
    #expect(!b.cells.contains { $0.isContinuation })
  }

  @Test func truncateKeepsWidth() {
    #expect(DisplayWidth.truncate("日本語テキスト", to: 7) == "日本語…")
    #expect(DisplayWidth.truncate("short", to: 10) == "short")
  }
}

@Suite struct FocusAndKeysTests {
  @Test func focusOrderWrapsAndComesBackAfterAFloatingWindow() {
    var ring = FocusRing(["a", "b", "c"])
    ring.next()
    ring.next()
    #expect(ring.current == "c")
    ring.next()
    #expect(ring.current == "a")
    ring.previous()
    #expect(ring.current == "c")
    ring.push(["w1", "w2"])
    #expect(ring.current == "w1")
    ring.next()
    #expect(ring.current == "w2")
    ring.pop()
    #expect(ring.current == "c")
  }

  @Test func galleryReturnsFocusAfterItsWindow() {
    var app = Gallery()
    for k in Key.script("Tab Tab F5 Tab Esc") { _ = app.handle(k) }
    #expect(app.focus.current == "name")
    #expect(!app.windowOpen)
  }

  @Test func keyScriptNames() {
    #expect(
      Key.script("F5 Tab S-Tab C-p M-b Enter Esc Up PgDn Space ab \"x y\"") == [
        .function(5), .tab, .backTab, .ctrl("p"), .alt("b"), .enter, .escape, .up, .pageDown, .char(" "),
        .char("a"), .char("b"), .char("x"), .char(" "), .char("y"),
      ])
    for k: Key in [.function(12), .ctrl("q"), .backTab, .pageUp, .home, .delete, .char(" ")] {
      #expect(Key(name: k.description) == k)
    }
  }

  @Test func textFieldEditing() {
    var s = TextFieldState("hello big world")
    _ = TextField.handle(.ctrlLeft, state: &s)
    #expect(s.cursor == 10)
    _ = TextField.handle(.ctrl("w"), state: &s)
    #expect(s.text == "hello world")
    _ = TextField.handle(.home, state: &s)
    _ = TextField.handle(.alt("f"), state: &s)
    #expect(s.cursor == 5)
    _ = TextField.handle(.paste("\nX\n"), state: &s)
    #expect(s.text == "hello X  world")
    _ = TextField.handle(.delete, state: &s)
    #expect(s.text == "hello X world")
    _ = TextField.handle(.backspace, state: &s)
    #expect(s.text == "hello Xworld")
  }

  @Test func textAreaPasteKeepsNewlines() {
    var s = TextAreaState("ab")
    _ = TextArea.handle(.right, state: &s)
    _ = TextArea.handle(.paste("1\n2\r\n3"), state: &s)
    #expect(s.text == "a1\n2\n3b")
    #expect(s.row == 2 && s.column == 1)
    _ = TextArea.handle(.home, state: &s)
    _ = TextArea.handle(.backspace, state: &s)
    #expect(s.text == "a1\n23b")
  }

  @Test func listKeys() {
    let rows = (0..<50).map { "item \($0)" }
    var s = ListState()
    s.pageSize = 10
    _ = ListView.handle(.pageDown, state: &s, source: rows)
    #expect(s.selected == 9)
    _ = ListView.handle(.end, state: &s, source: rows)
    #expect(s.selectedIndex(rows) == 49)
    _ = ListView.handle(.char("4"), state: &s, source: rows)
    #expect(s.selectedIndex(rows) == 49)  // still matches: stays selected
    #expect(s.visibleCount(rows) == 14)
    #expect(ListView.handle(.escape, state: &s, source: rows))
    #expect(s.filter.isEmpty)
    #expect(!ListView.handle(.escape, state: &s, source: rows))
  }

  @Test func dropdownEscClosesWithoutChoosing() {
    let options = ["a", "b", "c"]
    var s = DropdownState(selected: 0)
    _ = Dropdown.handle(.enter, state: &s, options: options)
    _ = Dropdown.handle(.down, state: &s, options: options)
    #expect(Dropdown.handle(.escape, state: &s, options: options) == .cancelled)
    #expect(s.selected == 0 && !s.isOpen)
    _ = Dropdown.handle(.enter, state: &s, options: options)
    _ = Dropdown.handle(.down, state: &s, options: options)
    #expect(Dropdown.handle(.enter, state: &s, options: options) == .chose(1))
  }

  @Test func layoutSplits() {
    let r = Rect(x: 0, y: 0, width: 100, height: 10)
    #expect(Layout.split(r, .columns, [.fixed(20), .fill(), .percent(30)]).map(\.width) == [20, 50, 30])
    #expect(Layout.split(r, .columns, [.fill(), .fill(), .fill()], gap: 2).map(\.x) == [0, 34, 68])
    #expect(Layout.split(Rect(width: 10, height: 3), .rows, [.fixed(2), .fixed(5)]).map(\.height) == [2, 1])
  }

  @Test func runLoopShowsTooSmallAndRecovers() {
    var app = Gallery()
    let b = RunLoop.render(
      &app, width: 80, height: 24, keys: [.resize(width: 10, height: 4), .resize(width: 80, height: 24)], theme: .color)
    #expect(b.line(0).hasPrefix("┌ Dramatis widget gallery"))
    var small = Gallery()
    let s = RunLoop.render(&small, width: 80, height: 24, keys: [.resize(width: 19, height: 6)], theme: .color)
    #expect(s.line(0).hasPrefix("terminal too small"))
  }
}

@Suite struct ListRegressionTests {
  /// Found by the monkey test: a filtered list whose source shrank (a persona deleted) indexed
  /// past the end when drawn.
  @Test func aFilteredListSurvivesItsSourceShrinking() {
    var s = ListState()
    let big = ["alpha", "beta", "gamma", "delta"]
    s.setFilter("a", big)
    s.selected = 3
    let small = ["alpha"]
    #expect(s.selectedIndex(small) == nil || s.selectedIndex(small)! < small.count)
    var b = Buffer(width: 10, height: 3)
    ListView.render(state: &s, source: small, into: &b, area: b.area, theme: .color, focused: true)
    #expect(s.matches == [0])
    #expect(b.line(0).hasPrefix(" alpha"))
  }
}

@Suite struct SimpleWidthTests {
  /// The fast path gives what the full rules give, for every scalar it claims.
  @Test func theFastPathAgreesWithTheFullRulesEverywhereItAnswers() {
    var claimed = 0
    for v in UInt32(0x80)...0x1FFFF {
      guard let u = Unicode.Scalar(v) else { continue }
      let c = Character(u)
      guard let fast = DisplayWidth.simpleWidth(c) else { continue }
      claimed += 1
      var units: [DisplayWidth.Unit] = []
      DisplayWidth.forEachUnit(of: c) { units.append($0) }
      #expect(units == [DisplayWidth.Unit(text: String(c), width: fast)], "U+\(String(v, radix: 16))")
      if units != [DisplayWidth.Unit(text: String(c), width: fast)] { return }
    }
    #expect(claimed > 40_000)
    // Several scalars (a combining mark, VS16) always take the full path.
    #expect(DisplayWidth.simpleWidth("e\u{301}") == nil)
    #expect(DisplayWidth.simpleWidth("⌨\u{FE0F}") == nil)
  }
}

@Suite struct SimpleTextTests {
  /// Texts of simple characters take the scalar path; it must give what the grapheme walk gives,
  /// and texts with anything that joins (a mark, ZWJ, VS16, a skin tone) must not take it.
  @Test func theScalarPathAgreesWithTheGraphemeWalk() {
    let parts = ["a", "Z", " ", "审", "査", "レ", "é", "─", "▼", "🚀", "😀", "Ω", "ж", "—", "…", "한", "！"]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in parts.randomElement(using: &rng)! }.joined()
      let walked = text.reduce(0) { $0 + DisplayWidth.width(of: $1) }
      #expect(DisplayWidth.simpleTextWidth(text) == walked, "\(text)")
      #expect(DisplayWidth.of(text) == walked)
      for cols in [0, 1, 3, 7] {
        var slow = ""
        var used = 0
        for c in text {
          let w = DisplayWidth.width(of: c)
          if used + w > cols - 1 { break }
          slow.append(c)
          used += w
        }
        #expect(DisplayWidth.truncate(text, to: cols) == (walked <= cols ? text : cols > 0 ? slow + "…" : ""))
      }
      var a = Buffer(width: 9, height: 1)
      a.write(text, x: 1, y: 0, style: .plain, clip: Rect(x: 2, y: 0, width: 6, height: 1))
      #expect(a.line(0).count <= 9)
    }
    for joined in ["e\u{301}", "👩\u{200D}💻", "⌨\u{FE0F}", "👍\u{1F3FD}", "\u{1F1EF}\u{1F1F5}", "a\u{7}"] {
      #expect(DisplayWidth.simpleTextWidth("x" + joined) == nil, "\(joined.unicodeScalars.map(\.value))")
    }
  }
}
