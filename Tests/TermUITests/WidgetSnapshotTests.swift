import SnapshotTesting
import Testing

@testable import TermUI

/// Every widget in each state, drawn into a memory buffer and compared with a reviewed snapshot
/// (text grid + attribute layer). Snapshots live in `__Snapshots__/`; a missing or different one
/// fails the test.
@Suite struct WidgetSnapshotTests {
  let theme = Theme.color
  let names = ["Orchestrator", "Tech Lead", "Worker", "QA Analyst", "Security Reviewer", "日本語レビュー", "🤖 Robot"]

  @Test func panelFocusedAndNot() {
    let b = draw(30, 8) { b in
      Panel.draw(into: &b, area: Rect(x: 0, y: 0, width: 14, height: 4), title: "Plain", theme: theme)
      Panel.draw(into: &b, area: Rect(x: 15, y: 0, width: 15, height: 4), title: "Focused", focused: true, theme: theme)
      Panel.draw(
        into: &b, area: Rect(x: 0, y: 4, width: 12, height: 4), title: "A title far too long to fit", theme: theme)
      Panel.draw(into: &b, area: Rect(x: 13, y: 4, width: 1, height: 4), title: "tiny", theme: theme)
    }
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func listSelectedFocusedUnfocusedAndScrolled() {
    var focused = ListState(selected: 1)
    var unfocused = ListState(selected: 2)
    var scrolled = ListState(selected: 6)
    let b = draw(60, 5) { b in
      ListView.render(
        state: &focused, source: names, into: &b, area: Rect(x: 0, y: 0, width: 20, height: 5), theme: theme,
        focused: true)
      ListView.render(
        state: &unfocused, source: names, into: &b, area: Rect(x: 20, y: 0, width: 20, height: 5), theme: theme,
        focused: false)
      ListView.render(
        state: &scrolled, source: names, into: &b, area: Rect(x: 40, y: 0, width: 20, height: 5), theme: theme,
        focused: true)
    }
    #expect(scrolled.offset == 2)
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func listFilteredEmptyAndTooSmall() {
    var filtered = ListState()
    for c in "er" { _ = ListView.handle(.char(c), state: &filtered, source: names) }
    var nothing = ListState()
    _ = ListView.handle(.char("#"), state: &nothing, source: names)
    var tiny = ListState(selected: 3)
    let b = draw(54, 5) { b in
      ListView.render(
        state: &filtered, source: names, into: &b, area: Rect(x: 0, y: 0, width: 24, height: 5), theme: theme,
        focused: true)
      ListView.render(
        state: &nothing, source: names, into: &b, area: Rect(x: 25, y: 0, width: 20, height: 3), theme: theme,
        focused: true)
      ListView.render(
        state: &tiny, source: names, into: &b, area: Rect(x: 46, y: 0, width: 8, height: 1), theme: theme,
        focused: true)
    }
    #expect(filtered.visibleCount(names) == 2)
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func listOfAHundredThousandRowsDrawsOnlyWhatShows() {
    let source = CountingSource(count: 100_000)
    var state = ListState()
    _ = ListView.handle(.end, state: &state, source: source)
    let b = draw(24, 6) { b in
      ListView.render(
        state: &state, source: source, into: &b, area: b.area, theme: theme, focused: true)
    }
    #expect(source.asked == 6)
    #expect(state.selectedIndex(source) == 99_999)
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func dropdownClosedOpenAndFlippedUp() {
    let options = ["anthropic", "openai", "gemini", "deepseek", "ollama"]
    var open = DropdownState(selected: 1)
    _ = Dropdown.handle(.enter, state: &open, options: options)
    var flipped = DropdownState(selected: 4)
    _ = Dropdown.handle(.enter, state: &flipped, options: options)
    let b = draw(50, 12) { b in
      Dropdown.renderField(
        state: DropdownState(selected: 2), options: options, into: &b, area: Rect(x: 0, y: 0, width: 16, height: 1),
        theme: theme, focused: false)
      let anchor = Rect(x: 0, y: 2, width: 16, height: 1)
      Dropdown.renderField(state: open, options: options, into: &b, area: anchor, theme: theme, focused: true)
      let low = Rect(x: 25, y: 11, width: 16, height: 1)
      Dropdown.renderField(state: flipped, options: options, into: &b, area: low, theme: theme, focused: true)
      Dropdown.renderPopup(state: &open, options: options, anchor: anchor, screen: b.area, into: &b, theme: theme)
      Dropdown.renderPopup(state: &flipped, options: options, anchor: low, screen: b.area, into: &b, theme: theme)
    }
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func dropdownFilteredAndFreeText() {
    let options = ["claude-sonnet-4-5", "claude-haiku-4-5", "gpt-5", "gemini-2.5-pro"]
    var state = DropdownState(selected: 0, allowsCustom: true)
    for c in "claude" { _ = Dropdown.handle(.char(c), state: &state, options: options) }
    var custom = DropdownState(selected: 0, allowsCustom: true)
    for c in "my-model" { _ = Dropdown.handle(.char(c), state: &custom, options: options) }
    let b = draw(60, 8) { b in
      let a1 = Rect(x: 0, y: 0, width: 24, height: 1)
      Dropdown.renderField(state: state, options: options, into: &b, area: a1, theme: theme, focused: true)
      Dropdown.renderPopup(state: &state, options: options, anchor: a1, screen: b.area, into: &b, theme: theme)
      let a2 = Rect(x: 30, y: 0, width: 24, height: 1)
      Dropdown.renderField(state: custom, options: options, into: &b, area: a2, theme: theme, focused: true)
      Dropdown.renderPopup(state: &custom, options: options, anchor: a2, screen: b.area, into: &b, theme: theme)
    }
    #expect(Dropdown.handle(.enter, state: &custom, options: options) == .choseText("my-model"))
    #expect(Dropdown.handle(.enter, state: &state, options: options) == .chose(0))
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func textFieldsCursorScrollWideAtTheEdgeAndPlaceholder() {
    var short = TextFieldState("Worker")
    short.cursor = 2
    var long = TextFieldState("a rather long persona description that scrolls")
    var wide = TextFieldState("名前は日本語")
    wide.cursor = 0
    var wideScrolled = TextFieldState("ab日本語テキスト")
    var empty = TextFieldState("")
    let b = draw(20, 5) { b in
      TextField.render(state: &short, into: &b, area: b.area.row(0), theme: theme, focused: true)
      TextField.render(state: &long, into: &b, area: b.area.row(1), theme: theme, focused: true)
      TextField.render(
        state: &wide, into: &b, area: Rect(x: 0, y: 2, width: 7, height: 1), theme: theme, focused: false)
      TextField.render(
        state: &wideScrolled, into: &b, area: Rect(x: 0, y: 3, width: 8, height: 1), theme: theme, focused: true)
      TextField.render(
        state: &empty, into: &b, area: b.area.row(4), theme: theme, focused: false, placeholder: "(type a name)")
    }
    #expect(long.offset > 0)
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func textAreaScrolledWithIndicators() {
    var s = TextAreaState("one\ntwo\nthree\nfour\nfive\nsix 日本語")
    for _ in 0..<5 { _ = TextArea.handle(.down, state: &s) }
    _ = TextArea.handle(.end, state: &s)
    let b = draw(16, 3) { b in
      TextArea.render(state: &s, into: &b, area: b.area, theme: theme, focused: true)
    }
    #expect(s.top == 3)
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func numberFieldRefusesLettersAndClamps() {
    var refused = NumberFieldState(0.7, range: 0...2, step: 0.1, decimals: 1)
    _ = NumberField.handle(.char("x"), state: &refused)
    var clamped = NumberFieldState(1.0, range: 0...2, step: 0.1, decimals: 1)
    _ = NumberField.handle(.home, state: &clamped)
    _ = NumberField.handle(.char("9"), state: &clamped)
    NumberField.commit(&clamped)
    var stepped = NumberFieldState(1.95, range: 0...2, step: 0.1, decimals: 1)
    _ = NumberField.handle(.up, state: &stepped)
    let b = draw(40, 3) { b in
      NumberField.render(state: &refused, into: &b, area: b.area.row(0), theme: theme, focused: true)
      NumberField.render(state: &clamped, into: &b, area: b.area.row(1), theme: theme, focused: false)
      NumberField.render(state: &stepped, into: &b, area: b.area.row(2), theme: theme, focused: false)
    }
    #expect(refused.value == 0.7)
    #expect(clamped.value == 2.0)
    #expect(stepped.value == 2.0)
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func numberFieldTakesAnyPasteOrLengthWithoutTrapping() {
    // Tokens: an integer field. Twenty digits typed are not an Int; a paste is clamped at once.
    var typed = NumberFieldState(nil, range: 1...1_000_000, step: 256)
    for _ in 0..<25 { _ = NumberField.handle(.char("9"), state: &typed) }
    #expect(typed.text == String(repeating: "9", count: 25))
    #expect(typed.clampedValue == 1_000_000)
    NumberField.commit(&typed)
    #expect(typed.text == "1000000")
    #expect(typed.message == "clamped to 1000000 (range 1–1000000)")
    for (paste, text, message) in [
      ("1e30", "1000000", "clamped to 1000000 (range 1–1000000)"), ("-5", "1", "clamped to 1 (range 1–1000000)"),
      (" 2048 ", "2048", nil), ("nan", "4096", "not a number: paste refused"),
      ("inf", "4096", "not a number: paste refused"), ("12ab", "4096", "not a number: paste refused"),
    ] {
      var s = NumberFieldState(4096, range: 1...1_000_000, step: 256)
      _ = NumberField.handle(.paste(paste), state: &s)
      #expect(s.text == text, "\(paste)")
      #expect(s.message == message, "\(paste)")
    }
    #expect(NumberField.format(1e30, decimals: 0) == "1e+30")
    #expect(NumberField.format(-.infinity, decimals: 0) == "-inf")
  }

  @Test func checkboxButtonsAndStatusBar() {
    let b = draw(40, 3) { b in
      Checkbox.render(true, label: "Enabled", into: &b, area: b.area.row(0), theme: theme, focused: true)
      Checkbox.render(
        false, label: "Disabled", into: &b, area: Rect(x: 20, y: 0, width: 20, height: 1), theme: theme, focused: false)
      Button.render("Save", into: &b, at: 0, y: 1, clip: b.area, theme: theme, focused: true)
      Button.render("Cancel", into: &b, at: 10, y: 1, clip: b.area, theme: theme, focused: false)
      StatusBar.draw(left: " AI Settings", right: "saved ", into: &b, area: b.area.row(2), theme: theme)
    }
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func floatingWindowDimsBelowAndScrollsWhenSmall() {
    var app = Gallery()
    var big = RunLoop.frame(&app, width: 60, height: 16, theme: theme)
    var scroll = 0
    let frame = FloatingWindow.frame(screen: big.area, width: 30, height: 8)
    let inner = FloatingWindow.draw(
      into: &big, frame: frame, title: "Window", theme: theme, contentHeight: 6, scroll: &scroll)
    Label.draw("content fits", into: &big, area: inner.row(0), style: theme.normal)
    assertSnapshot(of: big, as: .buffer, named: "fits")

    var small = Buffer(width: 24, height: 7)
    Label.draw("below the window", into: &small, area: small.area.row(0), style: theme.normal)
    var s2 = 2
    let f2 = FloatingWindow.frame(screen: small.area, width: 30, height: 12)
    let in2 = FloatingWindow.draw(
      into: &small, frame: f2, title: "Scrolls", theme: theme, contentHeight: 10, scroll: &s2)
    for row in 0..<10 {
      let r = FloatingWindow.place(row, x: in2.x, width: in2.width, in: in2, scroll: s2)
      if !r.isEmpty { Label.draw("row \(row)", into: &small, area: r, style: theme.normal) }
    }
    #expect(s2 == 2)
    assertSnapshot(of: small, as: .buffer, named: "scrolls")
  }

  @Test func helpOverlay() {
    var scroll = 0
    let b = draw(60, 16) { b in
      Label.draw("screen below", into: &b, area: b.area.row(0), style: theme.normal)
      HelpOverlay.draw([Gallery.keyMap, ListView.keyMap], into: &b, screen: b.area, theme: theme, scroll: &scroll)
    }
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func monochromeThemeShowsFocusSelectionAndErrorsWithoutColour() {
    let mono = Theme.monochrome
    var list = ListState(selected: 1)
    var field = TextFieldState("abc")
    var number = NumberFieldState(1, range: 0...2, step: 1)
    _ = NumberField.handle(.char("z"), state: &number)
    let b = draw(40, 6) { b in
      ListView.render(
        state: &list, source: names, into: &b, area: Rect(x: 0, y: 0, width: 16, height: 3), theme: mono, focused: true)
      TextField.render(
        state: &field, into: &b, area: Rect(x: 18, y: 0, width: 10, height: 1), theme: mono, focused: true)
      NumberField.render(state: &number, into: &b, area: b.area.row(4), theme: mono, focused: false)
      Button.render("OK", into: &b, at: 18, y: 2, clip: b.area, theme: mono, focused: true)
    }
    for c in b.cells { #expect(c.style.fg == .default && c.style.bg == .default) }
    assertSnapshot(of: b, as: .buffer)
  }

  @Test func galleryScreens() {
    var app = Gallery()
    assertSnapshot(of: RunLoop.render(&app, width: 80, height: 24, keys: [], theme: theme), as: .buffer, named: "80x24")
    var help = Gallery()
    assertSnapshot(
      of: RunLoop.render(&help, width: 80, height: 24, keys: [.function(1)], theme: theme), as: .buffer, named: "help")
    var window = Gallery()
    assertSnapshot(
      of: RunLoop.render(&window, width: 40, height: 12, keys: Key.script("F5 \"hi 日本\""), theme: theme),
      as: .buffer, named: "window-40x12")
    var dropdown = Gallery()
    assertSnapshot(
      of: RunLoop.render(&dropdown, width: 60, height: 16, keys: Key.script("Tab Enter Down"), theme: .monochrome),
      as: .buffer, named: "dropdown-mono")
    var small = Gallery()
    assertSnapshot(
      of: RunLoop.render(&small, width: 19, height: 5, keys: [], theme: theme), as: .buffer, named: "too-small")
  }
}
