/// One terminal cell: a grapheme of width 1 or 2 (a wide grapheme's second column is a
/// continuation cell with width 0 and no text), and its style.
public struct Cell: Equatable, Hashable, Sendable {
  public var text: String
  public var width: UInt8
  public var style: Style

  public init(_ text: String = " ", width: UInt8 = 1, style: Style = .plain) {
    self.text = text
    self.width = width
    self.style = style
  }

  public static let blank = Cell()

  public static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

  public var isContinuation: Bool { width == 0 }
}
