/// Turns the `SQL` type's `?` placeholders into libpq's `$1 … $n`.
///
/// A `?` inside a quoted literal ('…', E'…'), a quoted identifier ("…"), a dollar-quoted string
/// ($tag$…$tag$) or a comment is text, not a placeholder, and is left alone.
enum PGPlaceholders {
    struct Mismatch: Error, CustomStringConvertible {
        let found: Int
        let expected: Int
        var description: String { "a statement has \(found) placeholders for \(expected) values" }
    }

    static func numbered(_ sql: String, expecting count: Int) throws -> String {
        if count == 0 && !sql.contains("?") { return sql }
        let chars = Array(sql.unicodeScalars)
        var out = String.UnicodeScalarView()
        var n = 0
        var i = 0
        func peek(_ k: Int) -> Unicode.Scalar? { i + k < chars.count ? chars[i + k] : nil }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "?":
                n += 1
                out.append(contentsOf: "$\(n)".unicodeScalars)
                i += 1
            case "'", "\"":
                // E'…' strings take backslash escapes; every quoted run ends at an undoubled quote.
                let backslashes = c == "'" && i > 0 && (chars[i - 1] == "E" || chars[i - 1] == "e")
                out.append(c)
                i += 1
                while i < chars.count {
                    let d = chars[i]
                    out.append(d)
                    i += 1
                    if backslashes && d == "\\" && i < chars.count {
                        out.append(chars[i])
                        i += 1
                    } else if d == c {
                        if i < chars.count && chars[i] == c {
                            out.append(chars[i])
                            i += 1
                        } else {
                            break
                        }
                    }
                }
            case "-" where peek(1) == "-":
                while i < chars.count && chars[i] != "\n" {
                    out.append(chars[i])
                    i += 1
                }
            case "/" where peek(1) == "*":
                out.append(contentsOf: "/*".unicodeScalars)
                i += 2
                while i < chars.count && !(chars[i] == "*" && peek(1) == "/") {
                    out.append(chars[i])
                    i += 1
                }
                if i < chars.count {
                    out.append(contentsOf: "*/".unicodeScalars)
                    i += 2
                }
            case "$":
                // $tag$ … $tag$ (tag empty or an identifier); a bare $1 is left as it is.
                var j = i + 1
                while j < chars.count && (chars[j] == "_" || chars[j].properties.isAlphabetic
                                          || (j > i + 1 && ("0"..."9").contains(chars[j]))) { j += 1 }
                if j < chars.count && chars[j] == "$" {
                    let tag = Array(chars[i...j])
                    out.append(contentsOf: tag)
                    i = j + 1
                    while i < chars.count {
                        if chars[i] == "$" && i + tag.count <= chars.count && Array(chars[i..<i + tag.count]) == tag {
                            out.append(contentsOf: tag)
                            i += tag.count
                            break
                        }
                        out.append(chars[i])
                        i += 1
                    }
                } else {
                    out.append(c)
                    i += 1
                }
            default:
                out.append(c)
                i += 1
            }
        }
        guard n == count else { throw Mismatch(found: n, expected: count) }
        return String(out)
    }
}
