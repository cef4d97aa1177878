import TestSupport
import Testing

@testable import TermUI

/// A screen larger than the terminal: the view follows the focused widget; what is shown, the
/// focus and the arrows are checked cell by cell.
@Suite struct ViewportTests {
  let theme = Theme.color

  /// A 30x10 "screen": row y says "rowY", and a button at (bx, by) that has the focus.
  func screen(_ b: inout Buffer, _ area: Rect, button: (Int, Int)) {
    for y in 0..<area.height { b.write("row\(y)", x: area.x, y: area.y + y, style: theme.normal) }
    Button.render(
      "OK", into: &b, at: area.x + button.0, y: area.y + button.1, clip: area, theme: theme, focused: true)
  }

  @Test func largeEnoughDrawsDirectlyAndSaysNothing() {
    var v = Viewport()
    var b = Buffer(width: 30, height: 10)
    v.draw(into: &b, area: b.area, minWidth: 30, minHeight: 10, theme: theme) { b, a in
      screen(&b, a, button: (2, 3))
    }
    #expect(b.line(2).hasPrefix("row2") && b.line(3).hasPrefix("ro[ OK ]"))
    #expect(b.focus == Rect(x: 2, y: 3, width: 6, height: 1))
    #expect(v.more.isEmpty && v.x == 0 && v.y == 0)
  }

  @Test func theViewMovesOnlyAsFarAsTheFocusNeeds() {
    var v = Viewport()
    var b = Buffer(width: 12, height: 4)
    // The focus in the top-left part: no move; more is below and to the right.
    v.draw(into: &b, area: b.area, minWidth: 30, minHeight: 10, theme: theme) { b, a in
      screen(&b, a, button: (5, 1))
    }
    #expect(v.x == 0 && v.y == 0 && v.more == "▼▶")
    #expect(b.focus == Rect(x: 5, y: 1, width: 6, height: 1))
    // The focus at the bottom right: the view goes just far enough to show all of it.
    v.draw(into: &b, area: b.area, minWidth: 30, minHeight: 10, theme: theme) { b, a in
      screen(&b, a, button: (22, 8))
    }
    #expect(v.x == 16 && v.y == 5)
    #expect(v.more == "▲▼◀▶")
    #expect(b.line(3) == "      [ OK ]")
    #expect(b.line(0) == "            ")
    #expect(b.focus == Rect(x: 6, y: 3, width: 6, height: 1))
    // Back to a place already in view: it stays.
    v.draw(into: &b, area: b.area, minWidth: 30, minHeight: 10, theme: theme) { b, a in
      screen(&b, a, button: (18, 6))
    }
    #expect(v.x == 16 && v.y == 5)
    #expect(b.focus == Rect(x: 2, y: 1, width: 6, height: 1))
  }

  @Test func wideCharactersCutByTheEdgesBecomeSpaces() {
    var v = Viewport()
    var b = Buffer(width: 5, height: 2)
    v.draw(into: &b, area: b.area, minWidth: 12, minHeight: 2, theme: theme) { b, a in
      b.write("日本語日本語", x: 0, y: 0, style: theme.normal)
      b.markFocus(Rect(x: 6, y: 1, width: 1, height: 1))
    }
    // The view is columns 2-6: 本 and 語 whole, the first half of 日 (6-7) cut: a space.
    #expect(v.x == 2)
    #expect(b.line(0) == "本語 ")
    #expect(b[4, 0].text == " " && b[4, 0].width == 1)
    // One column on: the second half of 本 at the left edge is a space; 日 (6-7) is whole.
    v.draw(into: &b, area: b.area, minWidth: 12, minHeight: 2, theme: theme) { b, a in
      b.write("日本語日本語", x: 0, y: 0, style: theme.normal)
      b.markFocus(Rect(x: 7, y: 1, width: 1, height: 1))
    }
    #expect(v.x == 3)
    #expect(b.line(0) == " 語日")
    #expect(b[0, 0].text == " " && b[0, 0].width == 1)
  }

  @Test func noFocusInTheContentMeansNoFocusShown() {
    var v = Viewport()
    var b = Buffer(width: 10, height: 3)
    b.markFocus(Rect(x: 0, y: 0, width: 3, height: 1))
    v.draw(into: &b, area: b.area, minWidth: 20, minHeight: 3, theme: theme) { b, a in
      b.write("no focus here", x: 0, y: 0, style: theme.normal)
    }
    #expect(b.focus == nil)
  }
}

/// Buttons that do not fit slide to show the focused one, with ‹ › where buttons are cut off.
@Suite struct ButtonRowTests {
  let theme = Theme.color
  let buttons: [(id: String, label: String)] = [("save", "Save"), ("cancel", "Cancel"), ("delete", "Delete")]

  func row(_ width: Int, focused: String) -> Buffer {
    var b = Buffer(width: width, height: 1)
    ButtonRow.render(buttons, focused: focused, into: &b, area: b.area, theme: theme)
    return b
  }

  @Test func allFitNoMarkers() {
    let b = row(30, focused: "delete")
    #expect(b.line(0) == "[ Save ] [ Cancel ] [ Delete ]")
    #expect(b.focus == Rect(x: 20, y: 0, width: 10, height: 1))
  }

  @Test func theFocusedButtonIsAlwaysInView() {
    #expect(row(20, focused: "save").line(0) == "[ Save ] [ Cancel ]›")
    let last = row(20, focused: "delete")
    #expect(last.line(0) == "‹Cancel ] [ Delete ]")
    #expect(last.focus == Rect(x: 10, y: 0, width: 10, height: 1))
    let middle = row(14, focused: "cancel")
    #expect(middle.line(0).contains("[ Cancel ]"))
    #expect(middle.focus.map { $0.width } == 10)
  }
}

/// A message window smaller than its lines keeps its last line (the keys that answer it).
@Suite struct MessageWindowTests {
  @Test func theKeysStayVisibleWhenTheWindowIsCut() {
    var b = Buffer(width: 30, height: 6)
    FloatingWindow.drawMessage(
      ["first", "second", "third", "fourth", "y: yes  n: no"], title: "Ask", into: &b, screen: b.area, theme: .color)
    let text = b.textLines.joined(separator: "\n")
    #expect(text.contains("first") && text.contains("y: yes  n: no"))
    #expect(!text.contains("fourth"))
    #expect(b.focus != nil)
  }
}

/// Word wrap for message windows on narrow screens.
@Suite struct WrapTests {
  @Test func wrapsAtSpacesAndCutsOnlyWordsLongerThanARow() {
    #expect(DisplayWidth.wrap("short", to: 10) == ["short"])
    #expect(
      DisplayWidth.wrap("r: reload (drop yours)   v: show the differences   Esc: back", to: 20) == [
        "r: reload (drop", "yours)   v: show the", "differences   Esc:", "back",
      ])
    #expect(DisplayWidth.wrap("abcdefghijklmnopqrstuvwxyz", to: 10) == ["abcdefghij", "klmnopqrst", "uvwxyz"])
    #expect(DisplayWidth.wrap("日本語日本語", to: 5) == ["日本", "語日", "本語"])
    #expect(DisplayWidth.wrap("  Worker and more", to: 8) == ["  Worker", "and more"])
  }

  @Test func everyRowFitsAndNothingIsLost() {
    var rng = SplitMix(seed: 7)
    let words = ["a", "bb", "名前", "🚀", "ccccccccccccccc", "", "x y", "é"]
    for _ in 0..<500 {
      let text = (0..<Int(rng.next() % 12)).map { _ in words[Int(rng.next() % UInt64(words.count))] }
        .joined(separator: " ")
      let columns = 2 + Int(rng.next() % 20)
      let rows = DisplayWidth.wrap(text, to: columns)
      for r in rows { #expect(DisplayWidth.of(r) <= columns, "\(text.debugDescription) at \(columns): \(rows)") }
      #expect(
        rows.joined().filter { $0 != " " } == text.filter { $0 != " " },
        "\(text.debugDescription) at \(columns): \(rows)")
    }
  }
}
