/// JSON encoding and decoding of log actions (one JSON object per line, PROTOCOL.md
/// "Actions"). Unknown members are ignored on read, as the protocol asks of readers.
extension DeltaAction {
    /// The log line for this action, without the trailing newline.
    public var json: JSONValue {
        switch self {
        case let .protocol(p):
            var m: [(String, JSONValue)] = [("minReaderVersion", .int(Int64(p.minReaderVersion))), ("minWriterVersion", .int(Int64(p.minWriterVersion)))]
            if let r = p.readerFeatures { m.append(("readerFeatures", .array(r.map { .string($0) }))) }
            if let w = p.writerFeatures { m.append(("writerFeatures", .array(w.map { .string($0) }))) }
            return .object([("protocol", .object(m))])
        case let .metadata(md):
            var m: [(String, JSONValue)] = [("id", .string(md.id))]
            if let n = md.name { m.append(("name", .string(n))) }
            if let d = md.description { m.append(("description", .string(d))) }
            m.append(("format", .object([("provider", .string("parquet")), ("options", .object([]))])))
            m.append(("schemaString", .string(md.schemaString)))
            m.append(("partitionColumns", .array(md.partitionColumns.map { .string($0) })))
            m.append(("configuration", stringMap(md.configuration)))
            if let c = md.createdTime { m.append(("createdTime", .int(c))) }
            return .object([("metaData", .object(m))])
        case let .add(a):
            var m: [(String, JSONValue)] = [
                ("path", .string(a.path)),
                ("partitionValues", optionalStringMap(a.partitionValues)),
                ("size", .int(a.size)),
                ("modificationTime", .int(a.modificationTime)),
                ("dataChange", .bool(a.dataChange)),
            ]
            if let s = a.stats { m.append(("stats", .string(s))) }
            if let t = a.tags { m.append(("tags", stringMap(t))) }
            if let dv = a.deletionVector { m.append(("deletionVector", dv.json)) }
            return .object([("add", .object(m))])
        case let .remove(r):
            var m: [(String, JSONValue)] = [("path", .string(r.path))]
            if let t = r.deletionTimestamp { m.append(("deletionTimestamp", .int(t))) }
            m.append(("dataChange", .bool(r.dataChange)))
            if let e = r.extendedFileMetadata { m.append(("extendedFileMetadata", .bool(e))) }
            if let p = r.partitionValues { m.append(("partitionValues", optionalStringMap(p))) }
            if let s = r.size { m.append(("size", .int(s))) }
            if let dv = r.deletionVector { m.append(("deletionVector", dv.json)) }
            return .object([("remove", .object(m))])
        case let .txn(t):
            var m: [(String, JSONValue)] = [("appId", .string(t.appId)), ("version", .int(t.version))]
            if let l = t.lastUpdated { m.append(("lastUpdated", .int(l))) }
            return .object([("txn", .object(m))])
        case let .commitInfo(info):
            return .object([("commitInfo", info)])
        case let .other(key, value):
            return .object([(key, value)])
        }
    }

    /// Decodes one log line. `context` ("file:line") is used in error messages.
    public static func decode(_ json: JSONValue, context: String) throws -> DeltaAction {
        guard let members = json.objectValue, members.count >= 1 else {
            throw DeltaError.corruptLog(context, "expected an object with one action")
        }
        let (key, body) = members[0]
        func need<T>(_ name: String, _ f: (JSONValue) -> T?) throws -> T {
            guard let v = body[name], let t = f(v) else {
                throw DeltaError.corruptLog(context, "\(key) action lacks a valid '\(name)'")
            }
            return t
        }
        switch key {
        case "protocol":
            return .protocol(ProtocolAction(
                minReaderVersion: Int(try need("minReaderVersion") { $0.int64Value }),
                minWriterVersion: Int(try need("minWriterVersion") { $0.int64Value }),
                readerFeatures: body["readerFeatures"]?.arrayValue?.compactMap(\.stringValue),
                writerFeatures: body["writerFeatures"]?.arrayValue?.compactMap(\.stringValue)))
        case "metaData":
            return .metadata(MetadataAction(
                id: try need("id") { $0.stringValue },
                name: body["name"]?.stringValue,
                description: body["description"]?.stringValue,
                schemaString: try need("schemaString") { $0.stringValue },
                partitionColumns: body["partitionColumns"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                configuration: readStringMap(body["configuration"]),
                createdTime: body["createdTime"]?.int64Value))
        case "add":
            return .add(AddAction(
                path: try need("path") { $0.stringValue },
                partitionValues: readOptionalStringMap(body["partitionValues"]),
                size: try need("size") { $0.int64Value },
                modificationTime: body["modificationTime"]?.int64Value ?? 0,
                dataChange: body["dataChange"]?.boolValue ?? true,
                stats: body["stats"]?.stringValue,
                tags: body["tags"].flatMap { $0.isNull ? nil : readStringMap($0) },
                deletionVector: try DeletionVectorDescriptor.parse(body["deletionVector"], context: context)))
        case "remove":
            return .remove(RemoveAction(
                path: try need("path") { $0.stringValue },
                deletionTimestamp: body["deletionTimestamp"]?.int64Value,
                dataChange: body["dataChange"]?.boolValue ?? true,
                extendedFileMetadata: body["extendedFileMetadata"]?.boolValue,
                partitionValues: body["partitionValues"].flatMap { $0.isNull ? nil : readOptionalStringMap($0) },
                size: body["size"]?.int64Value,
                deletionVector: try DeletionVectorDescriptor.parse(body["deletionVector"], context: context)))
        case "txn":
            return .txn(TxnAction(
                appId: try need("appId") { $0.stringValue },
                version: try need("version") { $0.int64Value },
                lastUpdated: body["lastUpdated"]?.int64Value))
        case "commitInfo":
            return .commitInfo(body)
        default:
            return .other(key, body)
        }
    }
}

func stringMap(_ m: [String: String]) -> JSONValue {
    .object(m.keys.sorted().map { ($0, .string(m[$0]!)) })
}

func optionalStringMap(_ m: [String: String?]) -> JSONValue {
    .object(m.keys.sorted().map { k in (k, m[k]!.map { .string($0) } ?? .null) })
}

func readStringMap(_ v: JSONValue?) -> [String: String] {
    var out: [String: String] = [:]
    for (k, x) in v?.objectValue ?? [] { if let s = x.stringValue { out[k] = s } }
    return out
}

func readOptionalStringMap(_ v: JSONValue?) -> [String: String?] {
    var out: [String: String?] = [:]
    for (k, x) in v?.objectValue ?? [] { out[k] = .some(x.stringValue) }
    return out
}

extension SidecarAction {
    /// Decodes the body of a `sidecar` line (`context` names file and line for errors).
    public init(json body: JSONValue, context: String) throws {
        guard let path = body["path"]?.stringValue, let size = body["sizeInBytes"]?.int64Value,
              let mtime = body["modificationTime"]?.int64Value else {
            throw DeltaError.corruptLog(context, "sidecar action needs path, sizeInBytes and modificationTime")
        }
        self.init(path: path, sizeInBytes: size, modificationTime: mtime,
                  tags: body["tags"].flatMap { $0.isNull ? nil : readStringMap($0) })
    }
}

extension CheckpointMetadataAction {
    /// Decodes the body of a `checkpointMetadata` line.
    public init(json body: JSONValue, context: String) throws {
        guard let v = body["version"]?.int64Value else {
            throw DeltaError.corruptLog(context, "checkpointMetadata action lacks a valid 'version'")
        }
        self.init(version: v, tags: body["tags"].flatMap { $0.isNull ? nil : readStringMap($0) })
    }
}
