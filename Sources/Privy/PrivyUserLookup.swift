import Crypto
import Foundation
import HTTPClient
import WebRules

/// Reads a user's email address from Privy's REST API (GET /v1/users/{user_id}), for display
/// and contact only: access tokens carry no email. Any failure (network, timeout, non-200,
/// unexpected JSON) yields nil; a missing email must never block a login.
public struct PrivyUserLookup: UserEmailLookup {
    /// A user record is a few KiB even with many linked accounts.
    static let maximumResponseBytes = 256 * 1024

    private let appID: String
    private let authorization: String
    private let fetcher: any HTTPFetching
    private let apiBaseURL: String
    private let timeout: Double

    /// `appSecret` is the Privy app secret; it only ever leaves in the Authorization header.
    public init(appID: String, appSecret: String, fetcher: any HTTPFetching, apiBaseURL: String = "https://api.privy.io", timeout: Double = 2) {
        self.appID = appID
        // RFC 7617 §2: Basic credentials are base64(user-id ":" password), standard alphabet.
        self.authorization = "Basic " + Data("\(appID):\(appSecret)".utf8).base64EncodedString()
        self.fetcher = fetcher
        self.apiBaseURL = apiBaseURL.hasSuffix("/") ? String(apiBaseURL.dropLast()) : apiBaseURL
        self.timeout = timeout
    }

    /// The address of the user's email account, else the email of a Google or Apple login;
    /// nil when there is none or Privy cannot be asked.
    public func email(userID: String) -> String? {
        guard PrivyTokenVerifier.isPrivyDID(userID) else { return nil }
        let request = HTTPClientRequest(
            method: "GET",
            url: "\(apiBaseURL)/v1/users/\(PercentEncoding.pathSegment(userID))",
            headers: [
                (name: "Authorization", value: authorization),
                (name: "privy-app-id", value: appID),
                (name: "Accept", value: "application/json"),
            ],
            timeout: timeout,
            connectTimeout: min(timeout, 2),
            maxResponseBytes: Self.maximumResponseBytes
        )
        guard let response = try? fetcher.send(request), response.status == 200,
              let user = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? JSONObject
        else { return nil }
        // A record for someone else would mean a confused proxy or API; show nothing.
        if let id = user["id"] as? String, id != userID { return nil }
        return Self.email(linkedAccounts: user["linked_accounts"] as? [Any] ?? [])
    }

    /// Email login first (the address Privy verified by one-time code), then OAuth logins.
    static func email(linkedAccounts: [Any]) -> String? {
        let accounts = linkedAccounts.compactMap { $0 as? JSONObject }
        let fromEmail = accounts.lazy
            .filter { $0["type"] as? String == "email" }
            .compactMap { $0["address"] as? String }
            .first(where: isPlausibleEmail)
        if let fromEmail { return fromEmail }
        return accounts.lazy
            .filter { ["google_oauth", "apple_oauth"].contains($0["type"] as? String ?? "") }
            .compactMap { $0["email"] as? String }
            .first(where: isPlausibleEmail)
    }

    /// Enough to keep junk out of the UI: has "@", fits RFC 5321's 254 bytes, no control
    /// characters or spaces.
    static func isPlausibleEmail(_ text: String) -> Bool {
        text.contains("@") && text.utf8.count <= 254 && text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }
}
