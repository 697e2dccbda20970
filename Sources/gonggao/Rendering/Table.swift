/// Plain-text columns for list output; the last column may hold wide (CJK) text.
struct Table {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ row: String...) { rows.append(row) }

    /// Lines with every column but the last padded to its widest cell.
    var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { displayWidth($0[i]) }.max() ?? 0 }
        return all.map { row in
            row.indices.map { i in i == row.count - 1 ? row[i] : pad(row[i], widths[i] + 1) }.joined()
        }
    }
}
