/// Every widget of the layer on one interactive screen (`dramatis gallery`): a list of 1,000
/// rows, a dropdown, a text field, a multi-line field, a number field, a checkbox, buttons, wide
/// and combining text, a floating window (F5 / Ctrl-P) and the help overlay (F1 / ?). Tab moves the
/// focus, Ctrl-Q quits. The last key received is shown, so live tests can check key decoding.
public struct Gallery: TerminalApp {
  public var focus = FocusRing(["list", "provider", "name", "notes", "temperature", "enabled", "ok", "cancel"])
  public var list = ListState()
  public let items: [String]
  public var provider = DropdownState(selected: 0)
  public let providers = ["anthropic", "openai", "gemini", "deepseek", "ollama", "日本語プロバイダ", "🤖 local"]
  public var name = TextFieldState("Security Reviewer 日本語 🤖")
  public var notes = TextAreaState("Line one\nSecond line: e\u{301} (combining)\nThird line 🚀")
  public var temperature = NumberFieldState(0.7, range: 0...2, step: 0.1, decimals: 1)
  public var enabled = true
  public var lastKey = "(none)"
  public var message = ""
  public var windowOpen = false
  public var windowField = TextFieldState("")
  public var windowScroll = 0
  public var helpOpen = false
  public var helpScroll = 0
  public var presses = 0

  public init() {
    var rows: [String] = []
    let samples = ["Security Reviewer", "日本語レビュー担当", "🤖 Robot", "Worker", "QA Analyst", "Tech Lead"]
    for i in 0..<1000 { rows.append("\(samples[i % samples.count]) \(i + 1)") }
    items = rows
  }

  public static let keyMap = KeyMap(
    title: "Gallery",
    bindings: [
      KeyBinding(["Tab", "S-Tab"], "next / previous field"),
      KeyBinding(["F1", "?"], "this help"),
      KeyBinding(["F5", "C-p"], "open / close the floating window"),
      KeyBinding(["Esc"], "close the dropdown / window"),
      KeyBinding(["C-z"], "suspend (fg to come back)"),
      KeyBinding(["C-q"], "quit"),
    ])

  public mutating func handle(_ key: Key) -> AppCommand {
    if case .resize = key {
      lastKey = key.description
      return .none
    }
    lastKey = key.description
    message = ""
    if key == .ctrl("q") { return .quit }
    if key == .ctrl("z") { return .suspend }
    if helpOpen {
      if HelpOverlay.handle(key, scroll: &helpScroll) { helpOpen = false }
      return .none
    }
    if windowOpen {
      switch key {
      case .escape, .function(5), .ctrl("p"):
        windowOpen = false
        focus.pop()
      case .tab: focus.next()
      case .backTab: focus.previous()
      case .enter where focus.current == "w-close":
        windowOpen = false
        focus.pop()
      default:
        if focus.current == "w-field" { _ = TextField.handle(key, state: &windowField) }
      }
      return .none
    }
    if provider.isOpen {
      switch Dropdown.handle(key, state: &provider, options: providers) {
      case .chose(let i): message = "chose \(providers[i])"
      case .choseText(let t): message = "typed \(t)"
      default: break
      }
      return .none
    }
    switch key {
    case .function(1),
      .char("?") where !isTextFocus:
      helpOpen = true
      helpScroll = 0
      return .none
    case .function(5), .ctrl("p"):
      windowOpen = true
      focus.push(["w-field", "w-close"])
      return .none
    case .tab:
      leaveField()
      focus.next()
      return .none
    case .backTab:
      leaveField()
      focus.previous()
      return .none
    default: break
    }
    switch focus.current {
    case "list": _ = ListView.handle(key, state: &list, source: items)
    case "provider":
      if case .chose(let i) = Dropdown.handle(key, state: &provider, options: providers) {
        message = "chose \(providers[i])"
      }
    case "name": _ = TextField.handle(key, state: &name)
    case "notes": _ = TextArea.handle(key, state: &notes)
    case "temperature": _ = NumberField.handle(key, state: &temperature)
    case "enabled": _ = Checkbox.handle(key, value: &enabled)
    case "ok", "cancel":
      if Button.isPress(key) {
        presses += 1
        message = "pressed \(focus.current == "ok" ? "OK" : "Cancel") (\(presses))"
      }
    default: break
    }
    return .none
  }

  var isTextFocus: Bool { ["name", "notes", "temperature"].contains(focus.current ?? "") }

  mutating func leaveField() {
    if focus.current == "temperature" { NumberField.commit(&temperature) }
  }

  public mutating func draw(into buffer: inout Buffer, theme: Theme) {
    let screen = buffer.area
    let parts = Layout.split(screen, .rows, [.fill(), .fixed(1)])
    let main = Panel.draw(into: &buffer, area: parts[0], title: "Dramatis widget gallery", theme: theme)
    let cols = Layout.split(main, .columns, [.percent(40, min: 12), .fill()], gap: 1)
    let listBox = Panel.draw(
      into: &buffer, area: cols[0], title: "Personas (\(items.count))", focused: focus.isFocused("list"), theme: theme)
    ListView.render(
      state: &list, source: items, into: &buffer, area: listBox, theme: theme, focused: focus.isFocused("list"))

    let form = cols[1]
    let labelWidth = min(13, max(0, form.width / 3))
    func fieldRect(_ row: Int, height: Int = 1) -> Rect {
      Rect(x: form.x + labelWidth, y: form.y + row, width: form.width - labelWidth, height: height)
        .intersection(form)
    }
    func label(_ row: Int, _ text: String) {
      Label.draw(
        text, into: &buffer, area: Rect(x: form.x, y: form.y + row, width: labelWidth, height: 1).intersection(form),
        style: theme.normal)
    }
    label(0, "Provider")
    Dropdown.renderField(
      state: provider, options: providers, into: &buffer, area: fieldRect(0), theme: theme,
      focused: focus.isFocused("provider"))
    label(1, "Name")
    TextField.render(state: &name, into: &buffer, area: fieldRect(1), theme: theme, focused: focus.isFocused("name"))
    label(2, "Notes")
    TextArea.render(
      state: &notes, into: &buffer, area: fieldRect(2, height: 3), theme: theme, focused: focus.isFocused("notes"))
    label(5, "Temperature")
    NumberField.render(
      state: &temperature, into: &buffer, area: fieldRect(5), theme: theme, focused: focus.isFocused("temperature"))
    Checkbox.render(
      enabled, label: "Enabled", into: &buffer, area: fieldRect(6), theme: theme, focused: focus.isFocused("enabled"))
    let buttons = fieldRect(7)
    if !buttons.isEmpty {
      Button.render(
        "OK", into: &buffer, at: buttons.x, y: buttons.y, clip: buttons, theme: theme, focused: focus.isFocused("ok"))
      Button.render(
        "Cancel", into: &buffer, at: buttons.x + Button.width("OK") + 1, y: buttons.y, clip: buttons, theme: theme,
        focused: focus.isFocused("cancel"))
    }
    label(8, "Wide")
    Label.draw("日本語テキスト 🤖🚀 ⌨️ e\u{301}", into: &buffer, area: fieldRect(8), style: theme.normal)
    label(9, "Escaped")
    Label.draw("bell\u{7} esc\u{1B}[31m", into: &buffer, area: fieldRect(9), style: theme.muted)
    label(10, "Last key")
    Label.draw(lastKey, into: &buffer, area: fieldRect(10), style: theme.titleFocused)

    StatusBar.draw(
      left: " Gallery  focus: \(focus.current ?? "-")",
      right: message.isEmpty ? "F1 help  Tab next  C-q quit " : message + " ",
      into: &buffer, area: parts[1], theme: theme)

    if provider.isOpen {
      Dropdown.renderPopup(
        state: &provider, options: providers, anchor: fieldRect(0), screen: screen, into: &buffer, theme: theme)
    }
    if windowOpen {
      let frame = FloatingWindow.frame(screen: screen, width: 44, height: 9)
      let inner = FloatingWindow.draw(
        into: &buffer, frame: frame, title: "Floating window", theme: theme, contentHeight: 5, scroll: &windowScroll)
      let rows = [
        FloatingWindow.place(0, x: inner.x + 1, width: inner.width - 2, in: inner, scroll: windowScroll),
        FloatingWindow.place(2, x: inner.x + 1, width: inner.width - 2, in: inner, scroll: windowScroll),
        FloatingWindow.place(4, x: inner.x + 1, width: inner.width - 2, in: inner, scroll: windowScroll),
      ]
      Label.draw("Type here; Esc or F5 closes:", into: &buffer, area: rows[0], style: theme.normal)
      TextField.render(
        state: &windowField, into: &buffer, area: rows[1], theme: theme, focused: focus.isFocused("w-field"))
      if !rows[2].isEmpty {
        Button.render(
          "Close", into: &buffer, at: rows[2].x, y: rows[2].y, clip: rows[2], theme: theme,
          focused: focus.isFocused("w-close"))
      }
    }
    if helpOpen {
      HelpOverlay.draw(
        [Gallery.keyMap, ListView.keyMap, Dropdown.keyMap, TextField.keyMap, TextArea.keyMap, NumberField.keyMap],
        into: &buffer, screen: screen, theme: theme, scroll: &helpScroll)
    }
  }
}
