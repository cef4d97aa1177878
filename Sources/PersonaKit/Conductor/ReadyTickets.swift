/// The tickets of a track that are ready to run — `todo`, not running, every dependency `done` —
/// kept as tickets start and end, in the track's order. The conductor looked for them by going
/// through every ticket after every event (and made a set of the done ones each time): n² steps
/// for a track of n tickets, most of a dry run of 10,000.
///
/// Made from the track at the start of a run and again whenever the track is read again from disk
/// (someone changed it during the run); a track's ids are unique (`ConductorEngine.problems`).
struct ReadyTickets {
  /// Ticket id → its place in the track.
  private(set) var index: [String: Int] = [:]
  /// For each ticket, the places of the tickets that depend on it (each once).
  private var dependents: [[Int]]
  /// For each ticket, how many of its dependencies (each counted once) are not `done`; an unknown
  /// dependency never is.
  private var notDone: [Int]
  /// The ready tickets' places, last first: the next to run, the first in the track, is at the end.
  private var ready: [Int] = []

  init(_ tickets: [Ticket], running: Set<String>) {
    index.reserveCapacity(tickets.count)
    for (k, t) in tickets.enumerated() where index[t.id] == nil { index[t.id] = k }
    dependents = Array(repeating: [], count: tickets.count)
    notDone = Array(repeating: 0, count: tickets.count)
    for (k, t) in tickets.enumerated() {
      var counted: Set<String> = []
      for d in t.dependsOn where counted.insert(d).inserted {
        if let j = index[d] {
          dependents[j].append(k)
          if tickets[j].status != "done" { notDone[k] += 1 }
        } else {
          notDone[k] += 1
        }
      }
      if t.status == "todo" && notDone[k] == 0 && !running.contains(t.id) { ready.append(k) }
    }
    ready.reverse()
  }

  /// The first ready ticket in the track's order, taken out (it is about to run).
  mutating func next() -> Int? { ready.popLast() }

  /// The ticket at `k` is `todo` again (a retry): ready, as its dependencies are done.
  mutating func again(_ k: Int) { insert(k) }

  /// The ticket at `k` is `done`: its dependents whose last dependency it was are ready if `todo`.
  mutating func done(_ k: Int, in tickets: [Ticket]) {
    for j in dependents[k] {
      notDone[j] -= 1
      if notDone[j] == 0 && tickets[j].status == "todo" { insert(j) }
    }
  }

  /// Whether every ticket depending on the ticket at `k` is `done` (true when none does).
  func dependentsAreDone(_ k: Int, in tickets: [Ticket]) -> Bool {
    dependents[k].allSatisfy { tickets[$0].status == "done" }
  }

  private mutating func insert(_ k: Int) {
    // Binary search in the descending list for the first place holding a smaller index.
    var low = 0
    var high = ready.count
    while low < high {
      let mid = (low + high) / 2
      if ready[mid] > k { low = mid + 1 } else { high = mid }
    }
    if low < ready.count && ready[low] == k { return }
    ready.insert(k, at: low)
  }
}
