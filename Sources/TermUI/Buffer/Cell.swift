import Synchronization

/// One terminal cell: a grapheme of width 1 or 2 (a wide grapheme's second column is a
/// continuation cell with width 0 and no text), and its style.
///
/// A cell is plain data (no reference inside), so a frame of 17,500 cells is copied and compared
/// like bytes: the grapheme is stored as its one Unicode scalar, or — for the rare grapheme of
/// several scalars (a combining mark, an emoji sequence) — as a number in a table of such
/// graphemes that lives as long as the program.
public struct Cell: Equatable, Hashable, Sendable {
  /// The scalar value; with `clusterFlag`, the index of the grapheme in `Cell.clusters`; 0 for no
  /// text (a continuation cell).
  var code: UInt32
  public var width: UInt8
  public var style: Style

  static let clusterFlag: UInt32 = 0x8000_0000

  public init(_ text: String = " ", width: UInt8 = 1, style: Style = .plain) {
    code = Cell.code(of: text)
    self.width = width
    self.style = style
  }

  init(code: UInt32, width: UInt8, style: Style) {
    self.code = code
    self.width = width
    self.style = style
  }

  /// A cell of one scalar (the fast path of drawing).
  public init(scalar: Unicode.Scalar, width: UInt8 = 1, style: Style = .plain) {
    self.init(code: scalar.value, width: width, style: style)
  }

  public static let blank = Cell()

  public static func continuation(_ style: Style) -> Cell { Cell(code: 0, width: 0, style: style) }

  /// A space in `style`: what is left of a wide grapheme cut in half.
  public static func space(_ style: Style) -> Cell { Cell(code: 0x20, width: 1, style: style) }

  public var isContinuation: Bool { width == 0 }

  /// The grapheme ("" for a continuation cell).
  public var text: String {
    if code == 0 { return "" }
    if code & Cell.clusterFlag == 0 { return String(Character(Unicode.Scalar(code)!)) }
    return Cell.clusters.withLock { $0.texts[Int(code & ~Cell.clusterFlag)] }
  }

  /// The one scalar of the grapheme, when it is one.
  public var scalar: Unicode.Scalar? {
    code != 0 && code & Cell.clusterFlag == 0 ? Unicode.Scalar(code) : nil
  }

  // MARK: Graphemes of several scalars

  struct Clusters {
    var texts: [String] = []
    var index: [String: UInt32] = [:]
  }

  static let clusters = Mutex(Clusters())

  static func code(of text: String) -> UInt32 {
    let scalars = text.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if scalars.index(after: scalars.startIndex) == scalars.endIndex && first.value != 0 { return first.value }
    return clusters.withLock { c in
      if let i = c.index[text] { return i | clusterFlag }
      let i = UInt32(c.texts.count)
      c.texts.append(text)
      c.index[text] = i
      return i | clusterFlag
    }
  }
}
