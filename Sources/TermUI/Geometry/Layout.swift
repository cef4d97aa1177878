/// Splits a rectangle into rows or columns.
public enum Layout {
  public enum Direction: Sendable { case rows, columns }

  public enum Constraint: Sendable, Equatable {
    /// Exactly `n` cells (less when there is not enough room).
    case fixed(Int)
    /// A percentage of the whole, at least `min` cells when there is room.
    case percent(Int, min: Int = 0)
    /// What is left, shared between all `fill`s, at least `min` each when there is room.
    case fill(min: Int = 0)
  }

  /// The parts, in order; their sizes add up to the whole (or less when fixed parts do not fit).
  public static func split(_ rect: Rect, _ direction: Direction, _ constraints: [Constraint], gap: Int = 0) -> [Rect] {
    let total = direction == .rows ? rect.height : rect.width
    let gaps = max(0, constraints.count - 1) * gap
    let available = max(0, total - gaps)
    var sizes = [Int](repeating: 0, count: constraints.count)
    var used = 0
    for (i, c) in constraints.enumerated() {
      switch c {
      case .fixed(let n): sizes[i] = max(0, n)
      case .percent(let p, let m): sizes[i] = max(m, available * p / 100)
      case .fill: sizes[i] = 0
      }
      used += sizes[i]
    }
    // Shrink from the last fixed/percent part when they do not fit.
    var over = used - available
    var i = constraints.count - 1
    while over > 0 && i >= 0 {
      let cut = min(over, sizes[i])
      sizes[i] -= cut
      over -= cut
      i -= 1
    }
    let fills = constraints.indices.filter { if case .fill = constraints[$0] { return true } else { return false } }
    var rest = max(0, available - sizes.reduce(0, +))
    if !fills.isEmpty {
      let share = rest / fills.count
      for (n, idx) in fills.enumerated() {
        let extra = n < rest - share * fills.count ? 1 : 0
        sizes[idx] = share + extra
      }
      rest = 0
    }
    var out: [Rect] = []
    var pos = direction == .rows ? rect.y : rect.x
    for s in sizes {
      if direction == .rows {
        out.append(Rect(x: rect.x, y: pos, width: rect.width, height: s))
      } else {
        out.append(Rect(x: pos, y: rect.y, width: s, height: rect.height))
      }
      pos += s + gap
    }
    return out
  }
}
