import HTTPMessages
import ServerLog

/// The one log line per request: time, id, method, path, status, duration. The query string is
/// left out on purpose: OAuth puts codes and tokens there.
public enum AccessLog {
    public static func record(_ request: Request, _ response: Response, milliseconds: Double) -> [String: LogValue] {
        [
            "time": .string(ServerLog.timestamp()),
            "request_id": .string(request.requestID),
            "method": .string(String(request.method.prefix(16))),
            "path": .string(String(request.path.prefix(256))),
            "status": .int(response.status),
            "duration_ms": .double(milliseconds),
        ]
    }
}
