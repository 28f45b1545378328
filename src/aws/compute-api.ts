/** An EC2 instance of a cluster. */
export interface Instance {
  id: string;
  type: string;
  state: string;
  privateIp?: string;
  publicIp?: string;
  zone?: string;
}

/** An autoscaling group's sizes and members. */
export interface AutoScalingGroup {
  name: string;
  min: number;
  max: number;
  desired: number;
  instanceIds: string[];
}

/** A machine image of the user's own, labelled with the Kurento version it runs. */
export interface OwnImage {
  imageId: string;
  name: string;
  version: string;
}

/** The narrow view of EC2 and Auto Scaling the tool uses. Every failure is an `AwsFailure`. */
export interface ComputeApi {
  /** Instances by id, in as few calls as the API allows (1,000 ids per call). */
  instances(ids: readonly string[]): Promise<Instance[]>;
  groups(names: readonly string[]): Promise<AutoScalingGroup[]>;
  /** The caller's own images carrying the tag `tagKey`, its value being the version. */
  ownImages(tagKey: string): Promise<OwnImage[]>;
  /** Regions enabled for the account. */
  regions(): Promise<string[]>;
  /** The availability zones of the region that offer an instance type. */
  zonesOffering(instanceType: string): Promise<string[]>;
  /** Whether an EC2 key pair of that name exists in the region. */
  keyPairExists(name: string): Promise<boolean>;
}
