namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// The JSON keys Casdoor's init-data loader reads: object/init_data.go readInitDataFromFile json.Unmarshal-s the file into
/// struct InitData, so a key is read exactly when it equals a json:"…" tag of the Go struct (unknown keys are dropped
/// silently, A-62). The lists are the json tags of these structs at Casdoor tag v3.158.0 (commit e6b2338f), the same
/// lists as docs/casdoor.md §(d); a fixture key outside them would be ignored by Casdoor without any error.
/// </summary>
public static class InitDataFieldNames
{
    /// <summary>top-level keys of init_data.json: object/init_data.go struct <c>InitData</c>.</summary>
    public static readonly string[] TopLevel =
    [
        "organizations", "applications", "users", "certs", "providers", "ldaps", "models", "permissions", "payments",
        "products", "resources", "roles", "syncers", "tokens", "webhooks", "groups", "adapters", "enforcers", "plans",
        "pricings", "invitations", "records", "sessions", "subscriptions", "transactions", "sites", "rules",
        "third_party_links", "enforcerPolicies"
    ];

    /// <summary>organizations[]: object/organization.go struct <c>Organization</c>.</summary>
    public static readonly string[] Organization =
    [
        "owner", "name", "createdTime", "displayName", "websiteUrl", "logo", "logoDark", "favicon",
        "hasPrivilegeConsent", "passwordType", "passwordSalt", "passwordOptions", "passwordObfuscatorType",
        "passwordObfuscatorKey", "passwordExpireDays", "tokenRetentionDays", "recordRetentionDays", "countryCodes",
        "defaultAvatar", "usePermanentAvatar", "defaultApplication", "defaultTokenFormat", "userTypes", "tags",
        "languages", "themeData", "masterPassword", "defaultPassword", "masterVerificationCode", "ipWhitelist",
        "initScore", "enableSoftDeletion", "isProfilePublic", "useEmailAsUsername", "enableTour", "disableSignin",
        "ipRestriction", "navItems", "userNavItems", "widgetItems", "mfaItems", "mfaRememberInHours", "accountMenu",
        "accountItems", "dcrPolicy", "ldapAttributes", "kerberosRealm", "kerberosKdcHost", "kerberosKeytab",
        "kerberosServiceName", "orgBalance", "userBalance", "balanceCredit", "balanceCurrency"
    ];

    /// <summary>applications[]: object/application.go struct <c>Application</c>.</summary>
    public static readonly string[] Application =
    [
        "owner", "name", "createdTime", "displayName", "category", "type", "scopes", "logo", "title", "favicon",
        "order", "homepageUrl", "description", "organization", "cert", "defaultGroup", "defaultTag", "headerHtml",
        "pageHtml", "enablePassword", "enableSignUp", "enableGuestSignin", "disableSignin", "enableSigninSession",
        "enableAutoSignin", "enableCodeSignin", "enableExclusiveSignin", "enableSamlCompress", "enableSamlC14n10",
        "enableSamlPostBinding", "disableSamlAttributes", "enableSamlAssertionSignature", "useEmailAsSamlNameId",
        "enableWebAuthn", "enableLinkWithEmail", "orgChoiceMode", "samlReplyUrl", "providers", "signinMethods",
        "signupItems", "signinItems", "grantTypes", "organizationObj", "certPublicKey", "tags", "samlAttributes",
        "samlHashAlgorithm", "samlC14nPrefix", "isShared", "ipRestriction", "clientId", "clientSecret", "clientCert",
        "redirectUris", "backchannelLogoutUri", "forcedRedirectOrigin", "tokenFormat", "tokenSigningMethod",
        "tokenFields", "tokenAttributes", "expireInHours", "refreshExpireInHours", "cookieExpireInHours", "signupUrl",
        "signinUrl", "forgetUrl", "affiliationUrl", "ipWhitelist", "termsOfUse", "signupHtml", "signinHtml",
        "themeData", "footerHtml", "formCss", "formCssMobile", "formOffset", "formSideHtml", "formBackgroundUrl",
        "formBackgroundUrlMobile", "failedSigninLimit", "failedSigninFrozenTime", "codeResendTimeout", "customScopes",
        "domain", "otherDomains", "upstreamHost", "sslMode", "sslCert", "registrationAccessToken"
    ];

    /// <summary>users[]: object/user.go struct <c>User</c>.</summary>
    public static readonly string[] User =
    [
        "owner", "name", "createdTime", "updatedTime", "deletedTime", "id", "externalId", "type", "password",
        "passwordSalt", "passwordType", "displayName", "firstName", "lastName", "avatar", "avatarType",
        "permanentAvatar", "email", "emailVerified", "phone", "countryCode", "region", "location", "address",
        "addresses", "affiliation", "title", "idCardType", "idCard", "realName", "isVerified", "homepage", "bio", "tag",
        "language", "gender", "birthday", "education", "score", "karma", "ranking", "balance", "balanceCredit",
        "currency", "balanceCurrency", "isDefaultAvatar", "isOnline", "isAdmin", "isForbidden", "isDeleted",
        "signupApplication", "hash", "preHash", "registerType", "registerSource", "accessToken", "originalToken",
        "originalRefreshToken", "createdIp", "lastSigninTime", "lastSigninIp", "github", "google", "qq", "wechat",
        "facebook", "dingtalk", "weibo", "gitee", "linkedin", "wecom", "lark", "gitlab", "adfs", "baidu", "alipay",
        "casdoor", "infoflow", "apple", "azuread", "azureadb2c", "slack", "steam", "bilibili", "okta", "douyin", "kwai",
        "line", "amazon", "auth0", "battlenet", "bitbucket", "box", "cloudfoundry", "dailymotion", "deezer",
        "digitalocean", "discord", "dropbox", "eveonline", "fitbit", "gitea", "heroku", "influxcloud", "instagram",
        "intercom", "kakao", "lastfm", "mailru", "meetup", "microsoftonline", "naver", "nextcloud", "onedrive", "oura",
        "patreon", "paypal", "salesforce", "shopify", "soundcloud", "spotify", "strava", "stripe", "telegram", "tiktok",
        "tumblr", "twitch", "twitter", "typetalk", "uber", "vk", "wepay", "xero", "yahoo", "yammer", "yandex", "zoom",
        "metamask", "web3onboard", "custom", "custom2", "custom3", "custom4", "custom5", "custom6", "custom7",
        "custom8", "custom9", "custom10", "webauthnCredentials", "preferredMfaType", "recoveryCodes", "totpSecret",
        "mfaPhoneEnabled", "mfaEmailEnabled", "mfaRadiusEnabled", "mfaRadiusUsername", "mfaRadiusProvider",
        "mfaPushEnabled", "mfaPushReceiver", "mfaPushProvider", "multiFactorAuths", "invitation", "invitationCode",
        "faceIds", "cart", "ldap", "uidNumber", "properties", "thirdPartyLinks", "roles", "permissions", "groups",
        "lastChangePasswordTime", "lastSigninWrongTime", "signinWrongTimes", "managedAccounts", "mfaAccounts",
        "mfaItems", "mfaRememberDeadline", "needUpdatePassword", "ipWhitelist", "applicationScopes"
    ];

    /// <summary>certs[]: object/cert.go struct <c>Cert</c>.</summary>
    public static readonly string[] Cert =
    [
        "owner", "name", "createdTime", "displayName", "scope", "type", "cryptoAlgorithm", "bitSize", "expireInYears",
        "expireTime", "domainExpireTime", "provider", "account", "accessKey", "accessSecret", "certificate",
        "privateKey"
    ];

    /// <summary>applications[].signinMethods[]: object/application.go struct <c>SigninMethod</c>.</summary>
    public static readonly string[] SigninMethod =
    [
        "name", "displayName", "rule"
    ];

    /// <summary>applications[].signinItems[]: object/application.go struct <c>SigninItem</c>.</summary>
    public static readonly string[] SigninItem =
    [
        "name", "visible", "label", "customCss", "placeholder", "rule", "isCustom"
    ];

    /// <summary>applications[].signupItems[]: object/application.go struct <c>SignupItem</c>.</summary>
    public static readonly string[] SignupItem =
    [
        "name", "visible", "required", "prompted", "type", "customCss", "label", "placeholder", "options", "regex",
        "rule"
    ];

    /// <summary>applications[].scopes[]: object/application.go struct <c>ScopeItem</c>.</summary>
    public static readonly string[] ScopeItem =
    [
        "name", "displayName", "description", "tools"
    ];

    /// <summary>applications[].customScopes[]: object/user_scope.go struct <c>ScopeDescription</c>.</summary>
    public static readonly string[] ScopeDescription =
    [
        "scope", "displayName", "description"
    ];

    /// <summary>applications[].providers[]: object/provider_item.go struct <c>ProviderItem</c>.</summary>
    public static readonly string[] ProviderItem =
    [
        "owner", "name", "canSignUp", "canSignIn", "canUnlink", "bindingRule", "countryCodes", "prompted",
        "signupGroup", "rule", "provider"
    ];

    /// <summary>applications[].tokenAttributes[]: object/application.go struct <c>JwtItem</c>.</summary>
    public static readonly string[] JwtItem =
    [
        "name", "category", "value", "type"
    ];

    /// <summary>applications[].samlAttributes[]: object/application.go struct <c>SamlItem</c>.</summary>
    public static readonly string[] SamlItem =
    [
        "name", "nameFormat", "value"
    ];

    /// <summary>users[].addresses[]: object/user.go struct <c>Address</c>.</summary>
    public static readonly string[] Address =
    [
        "tag", "line1", "line2", "city", "state", "zipCode", "region"
    ];

    /// <summary>organizations[].accountItems[]: object/organization.go struct <c>AccountItem</c>.</summary>
    public static readonly string[] AccountItem =
    [
        "name", "visible", "viewRule", "modifyRule", "regex", "tab"
    ];

    /// <summary>organizations[].mfaItems[]: object/organization.go struct <c>MfaItem</c>.</summary>
    public static readonly string[] MfaItem =
    [
        "name", "rule"
    ];

    /// <summary>organizations[].themeData, applications[].themeData: object/organization.go struct <c>ThemeData</c>.</summary>
    public static readonly string[] ThemeData =
    [
        "themeType", "colorPrimary", "borderRadius", "isCompact", "isEnabled"
    ];

}
