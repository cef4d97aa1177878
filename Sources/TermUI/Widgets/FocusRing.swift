/// The Tab / Shift-Tab order of the focusable widgets of a screen. A floating window pushes its
/// own ring; closing it pops back to the focus that was there before.
public struct FocusRing: Equatable, Sendable {
  public private(set) var ids: [String]
  public private(set) var index: Int
  private var saved: [Saved] = []

  private struct Saved: Equatable, Sendable {
    var ids: [String]
    var index: Int
  }

  public init(_ ids: [String], focus: String? = nil) {
    self.ids = ids
    index = focus.flatMap { ids.firstIndex(of: $0) } ?? 0
  }

  public var current: String? { ids.isEmpty ? nil : ids[min(index, ids.count - 1)] }
  public func isFocused(_ id: String) -> Bool { current == id }
  public var depth: Int { saved.count }

  public mutating func next() {
    guard !ids.isEmpty else { return }
    index = (index + 1) % ids.count
  }

  public mutating func previous() {
    guard !ids.isEmpty else { return }
    index = (index - 1 + ids.count) % ids.count
  }

  public mutating func focus(_ id: String) {
    if let i = ids.firstIndex(of: id) { index = i }
  }

  /// Replaces the order (after a layout change), keeping the focus on the same id when it is
  /// still there.
  public mutating func setIDs(_ new: [String]) {
    let keep = current
    ids = new
    index = keep.flatMap { new.firstIndex(of: $0) } ?? min(index, max(0, new.count - 1))
  }

  /// A floating window opens: it takes the focus with its own order.
  public mutating func push(_ new: [String], focus: String? = nil) {
    saved.append(Saved(ids: ids, index: index))
    ids = new
    index = focus.flatMap { new.firstIndex(of: $0) } ?? 0
  }

  /// The floating window closed: the focus goes back where it was.
  public mutating func pop() {
    guard let s = saved.popLast() else { return }
    ids = s.ids
    index = s.index
  }
}
