// The part of Terraform's provider protocol 6 this provider speaks, written for it (field numbers
// as in Terraform's public plugin-protocol docs), plus go-plugin's controller and gRPC health.
// Parsed with protobufjs at start-up; RPCs not listed here answer UNIMPLEMENTED.
import protobuf from 'protobufjs';
import type { ServiceDefinition } from '@grpc/grpc-js';

const PROTO = `
syntax = "proto3";
package tfplugin6;
message DynamicValue { bytes msgpack = 1; bytes json = 2; }
message AttributePath {
  message Step { oneof selector { string attribute_name = 1; string element_key_string = 2; int64 element_key_int = 3; } }
  repeated Step steps = 1;
}
message Diagnostic {
  enum Severity { INVALID = 0; ERROR = 1; WARNING = 2; }
  Severity severity = 1; string summary = 2; string detail = 3; AttributePath attribute = 4;
}
message RawState { bytes json = 1; map<string, string> flatmap = 2; }
enum StringKind { PLAIN = 0; MARKDOWN = 1; }
message Schema {
  message Block {
    int64 version = 1; repeated Attribute attributes = 2; repeated NestedBlock block_types = 3;
    string description = 4; StringKind description_kind = 5; bool deprecated = 6;
  }
  message Attribute {
    string name = 1; bytes type = 2; string description = 3; bool required = 4; bool optional = 5;
    bool computed = 6; bool sensitive = 7; StringKind description_kind = 8; bool deprecated = 9;
  }
  message NestedBlock {
    enum NestingMode { INVALID = 0; SINGLE = 1; LIST = 2; SET = 3; MAP = 4; GROUP = 5; }
    string type_name = 1; Block block = 2; NestingMode nesting = 3; int64 min_items = 4; int64 max_items = 5;
  }
  int64 version = 1; Block block = 2;
}
message ServerCapabilities { bool plan_destroy = 1; bool get_provider_schema_optional = 2; bool move_resource_state = 3; }
message ClientCapabilities { bool deferral_allowed = 1; bool write_only_attributes_allowed = 2; }
message GetMetadata {
  message Request {}
  message DataSourceMetadata { string type_name = 1; }
  message ResourceMetadata { string type_name = 1; }
  message Response {
    ServerCapabilities server_capabilities = 1; repeated Diagnostic diagnostics = 2;
    repeated DataSourceMetadata data_sources = 3; repeated ResourceMetadata resources = 4;
  }
}
message GetProviderSchema {
  message Request {}
  message Response {
    Schema provider = 1; map<string, Schema> resource_schemas = 2; map<string, Schema> data_source_schemas = 3;
    repeated Diagnostic diagnostics = 4; Schema provider_meta = 5; ServerCapabilities server_capabilities = 6;
  }
}
message ValidateProviderConfig { message Request { DynamicValue config = 1; } message Response { repeated Diagnostic diagnostics = 2; } }
message ValidateResourceConfig {
  message Request { string type_name = 1; DynamicValue config = 2; ClientCapabilities client_capabilities = 3; }
  message Response { repeated Diagnostic diagnostics = 1; }
}
message ValidateDataResourceConfig {
  message Request { string type_name = 1; DynamicValue config = 2; }
  message Response { repeated Diagnostic diagnostics = 1; }
}
message UpgradeResourceState {
  message Request { string type_name = 1; int64 version = 2; RawState raw_state = 3; }
  message Response { DynamicValue upgraded_state = 1; repeated Diagnostic diagnostics = 2; }
}
message ConfigureProvider {
  message Request { string terraform_version = 1; DynamicValue config = 2; ClientCapabilities client_capabilities = 3; }
  message Response { repeated Diagnostic diagnostics = 1; }
}
message ReadResource {
  message Request { string type_name = 1; DynamicValue current_state = 2; bytes private = 3; DynamicValue provider_meta = 4; ClientCapabilities client_capabilities = 5; }
  message Response { DynamicValue new_state = 1; repeated Diagnostic diagnostics = 2; bytes private = 3; }
}
message PlanResourceChange {
  message Request {
    string type_name = 1; DynamicValue prior_state = 2; DynamicValue proposed_new_state = 3; DynamicValue config = 4;
    bytes prior_private = 5; DynamicValue provider_meta = 6; ClientCapabilities client_capabilities = 7;
  }
  message Response {
    DynamicValue planned_state = 1; repeated AttributePath requires_replace = 2; bytes planned_private = 3;
    repeated Diagnostic diagnostics = 4; bool legacy_type_system = 5;
  }
}
message ApplyResourceChange {
  message Request {
    string type_name = 1; DynamicValue prior_state = 2; DynamicValue planned_state = 3; DynamicValue config = 4;
    bytes planned_private = 5; DynamicValue provider_meta = 6;
  }
  message Response { DynamicValue new_state = 1; bytes private = 2; repeated Diagnostic diagnostics = 3; bool legacy_type_system = 4; }
}
message ImportResourceState {
  message Request { string type_name = 1; string id = 2; ClientCapabilities client_capabilities = 3; }
  message ImportedResource { string type_name = 1; DynamicValue state = 2; bytes private = 3; }
  message Response { repeated ImportedResource imported_resources = 1; repeated Diagnostic diagnostics = 2; }
}
message ReadDataSource {
  message Request { string type_name = 1; DynamicValue config = 2; DynamicValue provider_meta = 3; ClientCapabilities client_capabilities = 4; }
  message Response { DynamicValue state = 1; repeated Diagnostic diagnostics = 2; }
}
message StopProvider { message Request {} message Response { string Error = 1; } }
`;

const PLUGIN = `
syntax = "proto3";
package plugin;
message Empty {}
`;

const HEALTH = `
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse { enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; } ServingStatus status = 1; }
`;

const root = new protobuf.Root();
for (const text of [PROTO, PLUGIN, HEALTH]) protobuf.parse(text, root, { keepCase: true });

/** A plain object decoded from a message: longs as numbers, enums as numbers, bytes as Buffers. */
export type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function method(pkgService: string, name: string, req: string, res: string) {
  const Req = root.lookupType(req);
  const Res = root.lookupType(res);
  return {
    path: `/${pkgService}/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (m: Msg) => Buffer.from(Req.encode(Req.fromObject(m)).finish()),
    requestDeserialize: (b: Buffer) => Req.toObject(Req.decode(b), { longs: Number, enums: Number, defaults: false }) as Msg,
    responseSerialize: (m: Msg) => Buffer.from(Res.encode(Res.fromObject(m)).finish()),
    responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b), { longs: Number, enums: Number }) as Msg,
  };
}

export const PROVIDER_RPCS = [
  'GetMetadata',
  'GetProviderSchema',
  'ValidateProviderConfig',
  'ValidateResourceConfig',
  'ValidateDataResourceConfig',
  'UpgradeResourceState',
  'ConfigureProvider',
  'ReadResource',
  'PlanResourceChange',
  'ApplyResourceChange',
  'ImportResourceState',
  'ReadDataSource',
  'StopProvider',
] as const;
export type ProviderRpc = (typeof PROVIDER_RPCS)[number];

export const providerService = Object.fromEntries(
  PROVIDER_RPCS.map((n) => [n, method('tfplugin6.Provider', n, `tfplugin6.${n}.Request`, `tfplugin6.${n}.Response`)]),
) as unknown as ServiceDefinition;

export const controllerService = {
  Shutdown: method('plugin.GRPCController', 'Shutdown', 'plugin.Empty', 'plugin.Empty'),
} as unknown as ServiceDefinition;

export const healthService = {
  Check: method('grpc.health.v1.Health', 'Check', 'grpc.health.v1.HealthCheckRequest', 'grpc.health.v1.HealthCheckResponse'),
} as unknown as ServiceDefinition;
