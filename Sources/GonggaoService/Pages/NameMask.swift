import Foundation

/// Masks personal names on public pages: the first and last characters stay, the rest become `*`
/// (王永春 → 王*春, 王春 → 王*, 欧阳永春 → 欧**春).
public enum NameMask {
    public static func mask(_ name: String) -> String {
        let chars = Array(name.trimmingCharacters(in: .whitespacesAndNewlines))
        switch chars.count {
        case 0: return ""
        case 1: return "*"
        case 2: return String(chars[0]) + "*"
        default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
        }
    }

    /// `text` with every occurrence of any of `names` masked (longest names first, so 王永春 is
    /// not half-masked by a household called 王永).
    public static func redact(_ text: String, names: [String]) -> String {
        var out = text
        let sorted = names.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { $0.count >= 2 }
            .sorted { $0.count > $1.count }
        for name in sorted { out = out.replacingOccurrences(of: name, with: mask(name)) }
        return out
    }
}
