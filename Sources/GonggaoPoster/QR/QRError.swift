/// Why a QR code could not be made. URL errors are configuration errors: fix the public base URL.
public enum QRError: Error, Equatable, Sendable, CustomStringConvertible {
    case urlEmpty
    case urlNotASCII(url: String, offset: Int)
    case urlTooLong(bytes: Int, max: Int)
    case encodingFailed(errno: Int32, reason: String)

    public var description: String {
        switch self {
        case .urlEmpty:
            "qr url: is empty"
        case .urlNotASCII(let url, let offset):
            "qr url: '\(url)' is not printable ASCII (byte \(offset)); percent-encode it or use the ASCII parcel key"
        case .urlTooLong(let bytes, let max):
            "qr url: is \(bytes) bytes, at most \(max) allowed (a longer URL makes a code too dense to scan at 1 mm per module); shorten the public base URL"
        case .encodingFailed(let code, let reason):
            "qr: libqrencode failed (errno \(code)): \(reason)"
        }
    }
}
