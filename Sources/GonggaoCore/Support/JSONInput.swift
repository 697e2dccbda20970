import Foundation

/// Decodes user-supplied JSON, turning decoder errors into one line that names the field or position.
public enum JSONInput {
    /// Why a JSON document was refused.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let source: String
        public let message: String
        public var description: String { "\(source): \(message)" }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, source: String) throws(Failure) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Failure(source: source, message: describe(error, data: data))
        } catch {
            throw Failure(source: source, message: "\(error)")
        }
    }

    /// `parcels[1].landUse[0].code` from a coding path.
    public static func path(_ codingPath: [CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
        }
        return out.isEmpty ? "(document)" : out
    }

    static func describe(_ error: DecodingError, data: Data) -> String {
        switch error {
        case .keyNotFound(let key, let ctx):
            return "\(path(ctx.codingPath + [key])) is required"
        case .typeMismatch(let type, let ctx):
            return "\(path(ctx.codingPath)) has the wrong type (expected \(typeName(type)))"
        case .valueNotFound(let type, let ctx):
            return "\(path(ctx.codingPath)) is null (expected \(typeName(type)))"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                return "malformed JSON" + position(of: ctx, data: data)
            }
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            return "an object"
        }
    }

    /// " at line L, column C" when the parser told us where, else a position found by a small scan.
    static func position(of ctx: DecodingError.Context, data: Data) -> String {
        var texts = [ctx.debugDescription]
        if let underlying = ctx.underlyingError { texts.append("\(underlying)") }
        for text in texts {
            if let range = text.range(of: #"line \d+, column \d+"#, options: .regularExpression) {
                return " at " + text[range]
            }
        }
        if let (line, column) = firstSyntaxError(in: data) { return " at line \(line), column \(column)" }
        return ""
    }

    /// Line and column (1-based; the column counts characters) of the byte JSONSerialization
    /// rejects ("around character N" is a byte offset); the end of input when it names none.
    static func firstSyntaxError(in data: Data) -> (Int, Int)? {
        var offset = data.count
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let text = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
            if let range = text.range(of: #"character \d+"#, options: .regularExpression),
               let n = Int(text[range].dropFirst("character ".count)) {
                offset = min(max(n, 0), data.count)
            }
        }
        let prefix = data.prefix(offset)
        let line = prefix.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let lineStart = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? prefix.startIndex
        let column = String(decoding: prefix[lineStart...], as: UTF8.self).count + 1
        return (line, column)
    }
}
