import Foundation
import TOMLKit

/// A TOML syntax error with its place.
public struct TOMLSyntaxError: Error, Sendable, Equatable {
  public var message: String
  public var line: Int
  public var column: Int
}

/// A parsed TOML document: the value tree (keys in file order) and where every key stands.
public struct ParsedTOML: Sendable {
  public var root: TOMLDict
  public var sourceMap: SourceMap
}

/// Parses TOML text with TOMLKit (toml++), then turns the result into a `TOMLNode` tree whose
/// keys are in the order of the file.
public enum TOMLParser {
  public static func parse(_ data: Data) throws(TOMLSyntaxError) -> ParsedTOML {
    if let nul = data.firstIndex(of: 0) {
      let (line, column) = place(ofByte: nul - data.startIndex, in: data)
      throw TOMLSyntaxError(message: "the file holds a NUL byte", line: line, column: column)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      let bad = firstInvalidUTF8Byte(data) ?? 0
      let (line, column) = place(ofByte: bad, in: data)
      throw TOMLSyntaxError(message: "the file is not valid UTF-8", line: line, column: column)
    }
    return try parse(text)
  }

  public static func parse(_ text: String) throws(TOMLSyntaxError) -> ParsedTOML {
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw TOMLSyntaxError(
        message: error.description, line: error.source.begin.line, column: error.source.begin.column)
    } catch {
      throw TOMLSyntaxError(message: "\(error)", line: 1, column: 1)
    }
    let map = SourceMap(scanning: text)
    return ParsedTOML(root: convert(table, path: [], map: map), sourceMap: map)
  }

  private static func convert(_ table: TOMLTable, path: [PathSegment], map: SourceMap) -> TOMLDict {
    var dict = TOMLDict()
    for (key, value) in zip(table.keys, table.values) {
      dict[key] = convert(value, path: path + [.key(key)], map: map)
    }
    dict.reorder { map.exactPosition(of: path + [.key($0)])?.order }
    return dict
  }

  private static func convert(_ value: TOMLValue, path: [PathSegment], map: SourceMap) -> TOMLNode {
    switch value.type {
    case .table: return .table(convert(value.table!, path: path, map: map))
    case .array:
      return .array(
        value.array!.enumerated().map { convert($0.element.tomlValue, path: path + [.index($0.offset)], map: map) })
    case .string: return .string(value.string!)
    case .int: return .integer(value.int!)
    case .double: return .float(value.double!)
    case .bool: return .bool(value.bool!)
    case .date: return .datetime(value.date!.debugDescription)
    case .time: return .datetime(value.time!.debugDescription)
    case .dateTime: return .datetime(value.dateTime!.debugDescription)
    }
  }

  static func place(ofByte offset: Int, in data: Data) -> (Int, Int) {
    var line = 1
    var lineStart = 0
    let bytes = [UInt8](data.prefix(offset))
    for (n, b) in bytes.enumerated() where b == 0x0A {
      line += 1
      lineStart = n + 1
    }
    let column = (String(bytes: bytes[lineStart...], encoding: .utf8)?.unicodeScalars.count ?? (offset - lineStart)) + 1
    return (line, column)
  }

  static func firstInvalidUTF8Byte(_ data: Data) -> Int? {
    let bytes = [UInt8](data)
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let n: Int
      if b < 0x80 {
        n = 1
      } else if b & 0xE0 == 0xC0 {
        n = 2
      } else if b & 0xF0 == 0xE0 {
        n = 3
      } else if b & 0xF8 == 0xF0 {
        n = 4
      } else {
        return i
      }
      if i + n > bytes.count { return i }
      if String(bytes: bytes[i..<(i + n)], encoding: .utf8) == nil { return i }
      i += n
    }
    return nil
  }
}
