/// A number field's state: the text as typed, and the last valid value.
public struct NumberFieldState: Equatable, Sendable {
  public internal(set) var field: TextFieldState
  public var range: ClosedRange<Double>
  public var step: Double
  /// Digits after the point when the value is written back (0 for integers).
  public var decimals: Int
  /// Why the last key was refused, or why the value was clamped.
  public var message: String?

  public init(_ value: Double?, range: ClosedRange<Double>, step: Double = 1, decimals: Int = 0) {
    self.range = range
    self.step = step
    self.decimals = decimals
    field = TextFieldState(value.map { NumberField.format($0, decimals: decimals) } ?? "")
  }

  public var text: String { field.text }

  /// The value, or nil when the field is empty (unset).
  public var value: Double? { Double(field.text) }

  /// The value clamped into the range, as leaving the field makes it: what to use while the field
  /// may still hold what is being typed (twenty digits are not an `Int`).
  public var clampedValue: Double? { value.map { min(max($0, range.lowerBound), range.upperBound) } }

  public mutating func setValue(_ v: Double?) {
    field.setText(v.map { NumberField.format($0, decimals: decimals) } ?? "")
    message = nil
  }

  /// Puts back text as it was typed (a draft), keeping only what the field accepts.
  public mutating func setTyped(_ text: String) {
    field.setText(String(text.filter { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }.prefix(32)))
    message = nil
  }
}

/// A number: digits, `.` and `-` only (anything else is refused with a message), Up/Down step
/// within the range, values outside the range clamped with a message.
public enum NumberField {
  public static let keyMap = KeyMap(
    title: "Number field",
    bindings: [
      KeyBinding(["Up", "Down"], "step up / down within the range"),
      KeyBinding(["0-9", ".", "-"], "type a number (anything else is refused)"),
    ])

  public static func format(_ v: Double, decimals: Int) -> String {
    // Whole numbers beyond an Int (pasted, or twenty digits typed) are written as Double writes them.
    if decimals == 0, let i = Int(exactly: v.rounded()) { return String(i) }
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
      let frac = s[s.index(after: dot)...]
      if frac.count > decimals {
        let p = (0..<decimals).reduce(1.0) { r, _ in r * 10 }
        s = String((v * p).rounded() / p)
      }
    }
    return s
  }

  public static func handle(_ key: Key, state: inout NumberFieldState) -> Bool {
    switch key {
    case .up, .down:
      let current = state.value ?? state.range.lowerBound
      var next = current + (key == .up ? state.step : -state.step)
      next = min(max(next, state.range.lowerBound), state.range.upperBound)
      state.setValue(next)
      return true
    case .char(let c):
      let allowed = c.isNumber && c.isASCII || c == "." && state.decimals > 0 || c == "-" && state.range.lowerBound < 0
      guard allowed else {
        state.message = "not a number: \(c.isASCII && c.asciiValue! >= 0x20 ? String(c) : "?") refused"
        return true
      }
      var f = state.field
      _ = TextField.handle(key, state: &f)
      if !f.text.isEmpty && f.text != "-" && f.text != "." && Double(f.text) == nil {
        state.message = "not a number: \(f.text)"
        return true
      }
      state.field = f
      state.message = nil
      return true
    case .paste(let t):
      guard let v = Double(t.trimmingSpaces()), v.isFinite else {
        state.message = "not a number: paste refused"
        return true
      }
      state.setValue(v)
      commit(&state)
      return true
    case .backspace, .delete, .left, .right, .home, .end, .ctrl("u"):
      var f = state.field
      let used = TextField.handle(key, state: &f)
      state.field = f
      state.message = nil
      return used
    default:
      return false
    }
  }

  /// Called when the field loses the focus: clamps the value into the range (with a message).
  public static func commit(_ state: inout NumberFieldState) {
    guard let v = state.value else {
      if !state.text.isEmpty { state.setValue(nil) }
      return
    }
    guard let clamped = state.clampedValue, clamped != v else { return }
    state.setValue(clamped)
    state.message =
      "clamped to \(format(clamped, decimals: state.decimals)) (range \(format(state.range.lowerBound, decimals: state.decimals))–\(format(state.range.upperBound, decimals: state.decimals)))"
  }

  public static func render(
    state: inout NumberFieldState, into buffer: inout Buffer, area: Rect, theme: Theme, focused: Bool
  ) {
    guard area.height > 0 else { return }
    let hasMessage = state.message != nil
    let fieldWidth = hasMessage ? min(area.width, max(8, area.width / 3)) : area.width
    var f = state.field
    TextField.render(
      state: &f, into: &buffer, area: Rect(x: area.x, y: area.y, width: fieldWidth, height: 1), theme: theme,
      focused: focused)
    state.field = f
    if let m = state.message {
      Label.draw(
        " " + m, into: &buffer,
        area: Rect(x: area.x + fieldWidth, y: area.y, width: area.width - fieldWidth, height: 1),
        style: theme.error)
    }
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first?.isWhitespace == true { s = s.dropFirst() }
    while s.last?.isWhitespace == true { s = s.dropLast() }
    return String(s)
  }
}

/// `[x] label`; Space or Enter toggles.
public enum Checkbox {
  public static func handle(_ key: Key, value: inout Bool) -> Bool {
    switch key {
    case .char(" "), .enter:
      value.toggle()
      return true
    default: return false
    }
  }

  public static func render(
    _ value: Bool, label: String, into buffer: inout Buffer, area: Rect, theme: Theme, focused: Bool
  ) {
    if focused { buffer.markFocus(area.row(0)) }
    let box = value ? "[x]" : "[ ]"
    let style = focused ? theme.buttonFocused : theme.normal
    Label.draw(box + " " + label, into: &buffer, area: area.row(0), style: style)
  }
}

/// `[ Save ]`; Enter or Space presses it.
public enum Button {
  public static func isPress(_ key: Key) -> Bool { key == .enter || key == .char(" ") }

  public static func width(_ label: String) -> Int { DisplayWidth.of(label) + 4 }

  public static func render(
    _ label: String, into buffer: inout Buffer, at x: Int, y: Int, clip: Rect, theme: Theme, focused: Bool
  ) {
    let end = buffer.write(
      "[ " + label + " ]", x: x, y: y, style: focused ? theme.buttonFocused : theme.button, clip: clip)
    if focused { buffer.markFocus(Rect(x: x, y: y, width: end - x, height: 1).intersection(clip)) }
  }
}

/// Buttons side by side on one row. When they do not all fit, the row slides so that the focused
/// one is in view, and ‹ / › show on the side where buttons are cut off.
public enum ButtonRow {
  public static func render(
    _ buttons: [(id: String, label: String)], focused: String?, into buffer: inout Buffer, area: Rect, theme: Theme
  ) {
    guard area.width > 0, area.height > 0, !buttons.isEmpty else { return }
    let row = area.row(0)
    var starts: [Int] = []
    var x = 0
    for b in buttons {
      starts.append(x)
      x += Button.width(b.label) + 1
    }
    let total = x - 1
    var inner = row
    var shift = 0
    if total > row.width && row.width > 4 {
      // A column for the › (and, when slid, one for the ‹).
      inner = row.inset(right: 1)
      if let i = buttons.firstIndex(where: { $0.id == focused }),
        starts[i] + Button.width(buttons[i].label) > inner.width
      {
        let end = starts[i] + Button.width(buttons[i].label)
        inner = row.inset(left: 1)
        shift = min(starts[i], end - inner.width)
        if total - shift > inner.width {
          inner = row.inset(left: 1, right: 1)
          shift = min(starts[i], end - inner.width)
        }
      }
      if shift > 0 { buffer.write("‹", x: row.x, y: row.y, style: theme.muted, clip: row) }
      if total - shift > inner.width { buffer.write("›", x: row.maxX - 1, y: row.y, style: theme.muted, clip: row) }
    }
    for (i, b) in buttons.enumerated() {
      Button.render(
        b.label, into: &buffer, at: inner.x + starts[i] - shift, y: row.y, clip: inner, theme: theme,
        focused: b.id == focused)
    }
  }
}
