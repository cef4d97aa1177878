/// The styles of every role a widget draws. `color` uses the 16 ANSI colours; `monochrome` shows
/// focus, selection and errors by reverse, bold and underline alone (for `NO_COLOR` and terminals
/// without colour).
public struct Theme: Sendable, Equatable {
  public var name: String
  public var normal: Style
  public var muted: Style
  public var border: Style
  public var borderFocused: Style
  public var title: Style
  public var titleFocused: Style
  /// A selected row in a list that does not have the focus.
  public var selected: Style
  /// A selected row in a list that has the focus.
  public var selectedFocused: Style
  /// An input field (text, number, closed dropdown).
  public var field: Style
  public var fieldFocused: Style
  /// The text cursor inside a focused field.
  public var cursor: Style
  public var button: Style
  public var buttonFocused: Style
  public var error: Style
  /// The "modified" marker next to a label.
  public var modified: Style
  public var statusBar: Style
  public var popup: Style
  public var shadow: Style
  /// What a floating window does to the screen below it.
  public var dimAttributes: Attributes
  public var dimForeground: Color?

  public var isMonochrome: Bool { name == "monochrome" }

  public static let color = Theme(
    name: "color",
    normal: Style(),
    muted: Style(fg: .brightBlack),
    border: Style(fg: .brightBlack),
    borderFocused: Style(fg: .cyan, [.bold]),
    title: Style(fg: .white),
    titleFocused: Style(fg: .cyan, [.bold]),
    selected: Style(fg: .black, bg: .white),
    selectedFocused: Style(fg: .black, bg: .cyan, [.bold]),
    field: Style(fg: .default, bg: .ansi(8)),
    fieldFocused: Style(fg: .brightWhite, bg: .blue),
    cursor: Style(fg: .black, bg: .brightWhite),
    button: Style(fg: .white, bg: .ansi(8)),
    buttonFocused: Style(fg: .black, bg: .cyan, [.bold]),
    error: Style(fg: .red, [.bold]),
    modified: Style(fg: .yellow, [.bold]),
    statusBar: Style(fg: .black, bg: .white),
    popup: Style(fg: .default, bg: .default),
    shadow: Style(fg: .brightBlack, bg: .black),
    dimAttributes: [.dim],
    dimForeground: .brightBlack
  )

  public static let monochrome = Theme(
    name: "monochrome",
    normal: Style(),
    muted: Style(),
    border: Style(),
    borderFocused: Style([.bold]),
    title: Style(),
    titleFocused: Style([.bold]),
    selected: Style([.underline]),
    selectedFocused: Style([.reverse]),
    field: Style([.underline]),
    fieldFocused: Style([.underline, .bold]),
    cursor: Style([.reverse]),
    button: Style(),
    buttonFocused: Style([.reverse]),
    error: Style([.bold, .underline]),
    modified: Style([.bold]),
    statusBar: Style([.reverse]),
    popup: Style(),
    shadow: Style([.dim]),
    dimAttributes: [.dim],
    dimForeground: nil
  )
}
