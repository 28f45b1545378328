/** The parts of a CloudFormation template the tool reads or writes; everything else passes through. */
export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Metadata?: Record<string, unknown>;
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, { Type: string; Default?: unknown; NoEcho?: boolean; [key: string]: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Condition?: string }>;
}

/** One ingress rule of a security group. */
export interface IngressRule {
  IpProtocol: 'tcp' | 'udp';
  FromPort: number;
  ToPort: number;
  CidrIp: string;
  Description: string;
}
