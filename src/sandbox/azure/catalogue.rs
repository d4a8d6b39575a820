//! The services and problem classifications tickets are filed under, shaped like the real
//! `Microsoft.Support` catalogue: GUID names, `/providers/Microsoft.Support/services/{guid}` ids,
//! "Area / Issue" display names. GUIDs the public reference and Swagger examples show are used
//! as they are; the rest are uuid v5 of the display name, so they stay the same on every run.
//!
//! The Swagger examples name services by placeholders (`billing_service_guid`, `service_guid`,
//! ...); those resolve to the matching service here, so an example request is accepted as it is.

use std::collections::HashMap;

use serde_json::{Value, json};
use uuid::Uuid;

/// Billing (free of charge: no support plan needed).
pub const BILLING_SERVICE: &str = "517f2da6-78fd-0498-4e22-ad26996b1dfc";
/// Subscription management (free of charge).
pub const SUBSCRIPTION_MANAGEMENT_SERVICE: &str = "f3dc5421-79ef-1efa-41a5-42bf3cbb52c6";
/// Service and subscription limits (quotas) (free of charge).
pub const QUOTA_SERVICE: &str = "06bfd9d3-516b-d5c6-5802-169c800dec89";
/// Virtual Machine running Linux (technical: needs a paid plan).
pub const VM_LINUX_SERVICE: &str = "cddd3eb5-1830-b494-44fd-782f691479dc";
/// Virtual Machine running Windows (technical).
pub const VM_WINDOWS_SERVICE: &str = "6f16735c-1530-836f-ce5f-89d4f5b7d82d";
/// Quotas: "Compute-VM (cores-vCPUs) subscription limit increases".
pub const QUOTA_CORES_CLASSIFICATION: &str = "e12e3d1d-7fa0-af33-c6d0-3c50df9658a3";

/// What kind of ticket a service's classifications file: decides the support-plan rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Billing questions: always accepted.
    Billing,
    /// Subscription management: always accepted.
    SubscriptionManagement,
    /// Quota increases: always accepted.
    Quota,
    /// Everything else: needs a paid support plan on the subscription.
    Technical,
}

impl Kind {
    /// Whether tickets of this kind need a paid support plan.
    pub fn needs_plan(self) -> bool {
        self == Kind::Technical
    }
}

/// One problem classification.
#[derive(Debug, Clone)]
pub struct Classification {
    /// GUID name.
    pub name: String,
    /// "Area / Issue".
    pub display: String,
    /// `secondaryConsentEnabled` entries (`type` values), if the classification asks for them.
    pub secondary_consent: Vec<String>,
}

/// One service.
#[derive(Debug, Clone)]
pub struct CatalogueService {
    /// GUID name.
    pub name: String,
    /// Display name.
    pub display: String,
    /// ARM resource types the service covers (upper case, as the service sends them).
    pub resource_types: Vec<String>,
    /// Billing, subscription management, quota or technical.
    pub kind: Kind,
    /// Its classifications.
    pub classifications: Vec<Classification>,
}

impl CatalogueService {
    /// `/providers/Microsoft.Support/services/{name}`.
    pub fn id(&self) -> String {
        format!("/providers/Microsoft.Support/services/{}", self.name)
    }

    /// The service resource as the API sends it.
    pub fn resource(&self) -> Value {
        json!({
            "id": self.id(),
            "name": self.name,
            "type": "Microsoft.Support/services",
            "properties": {
                "displayName": self.display,
                "resourceTypes": self.resource_types,
            }
        })
    }

    /// One classification resource as the API sends it.
    pub fn classification_resource(&self, pc: &Classification) -> Value {
        let mut properties = json!({ "displayName": pc.display });
        if !pc.secondary_consent.is_empty() {
            properties["secondaryConsentEnabled"] = pc
                .secondary_consent
                .iter()
                .map(|t| {
                    json!({
                        "description": "Allow Microsoft support to access the resource's memory dump and diagnostic data",
                        "type": t,
                    })
                })
                .collect();
        }
        json!({
            "id": format!("{}/problemClassifications/{}", self.id(), pc.name),
            "name": pc.name,
            "type": "Microsoft.Support/problemClassifications",
            "properties": properties,
        })
    }
}

/// The whole catalogue, with look-up by GUID (any case) and the Swagger examples' placeholders.
#[derive(Debug, Clone)]
pub struct Catalogue {
    services: Vec<CatalogueService>,
    by_name: HashMap<String, usize>,
}

/// Namespace of the derived GUIDs.
fn namespace() -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://pcsr-tui.invalid/sandbox/Microsoft.Support",
    )
}

/// A stable GUID for `what`.
pub fn derived_guid(what: &str) -> String {
    Uuid::new_v5(&namespace(), what.as_bytes()).to_string()
}

/// Placeholder service names the Swagger examples use, and the service each stands for.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("billing_service_guid", BILLING_SERVICE),
    (
        "subscription_management_service_guid",
        SUBSCRIPTION_MANAGEMENT_SERVICE,
    ),
    ("quota_service_guid", QUOTA_SERVICE),
    ("virtual_machine_running_linux_service_guid", VM_LINUX_SERVICE),
    ("virtual_machine_service_guid", VM_LINUX_SERVICE),
    ("service_guid", VM_WINDOWS_SERVICE),
];

const TECHNICAL_COMMON: &[&str] = &[
    "Configuration and setup / Configuring the service",
    "Performance / Slow response or high latency",
    "Availability / Service unavailable or intermittent errors",
    "Security and access / Cannot grant or remove access (RBAC)",
    "Monitoring and alerts / Metrics, logs or alerts are missing",
    "Portal / Cannot see or manage the resource in the Azure portal",
];

struct Spec {
    display: &'static str,
    guid: Option<&'static str>,
    kind: Kind,
    resource_types: &'static [&'static str],
    /// Secondary consent `type` for its technical classifications (memory dumps and the like).
    consent: Option<&'static str>,
    issues: &'static [&'static str],
}

const fn tech(
    display: &'static str,
    resource_types: &'static [&'static str],
    issues: &'static [&'static str],
) -> Spec {
    Spec {
        display,
        guid: None,
        kind: Kind::Technical,
        resource_types,
        consent: None,
        issues,
    }
}

const SPECS: &[Spec] = &[
    Spec {
        display: "Billing",
        guid: Some(BILLING_SERVICE),
        kind: Kind::Billing,
        resource_types: &[],
        consent: None,
        issues: &[
            "Refund request",
            "Reservation Management / Exchanges and Refunds",
            "Reservation Management / Purchase a reservation",
            "Invoice / Questions about an invoice or charges",
            "Invoice / Download or receive invoices",
            "Payment / Update or change a payment method",
            "Payment / Payment declined or failed",
            "Credits / Azure credits, sponsorship or free account",
            "Cost management / Unexpected or unexplained charges",
            "Add or Edit VAT, TAX ID, or PO Number",
            "Billing account / Change billing account owner or address",
            "Marketplace / Charges for a Marketplace purchase",
        ],
    },
    Spec {
        display: "Subscription management",
        guid: Some(SUBSCRIPTION_MANAGEMENT_SERVICE),
        kind: Kind::SubscriptionManagement,
        resource_types: &[],
        consent: None,
        issues: &[
            "Cancel or delete a subscription",
            "Reactivate a disabled subscription",
            "Transfer a subscription / Change subscription owner or directory",
            "Transfer a subscription / Move resources between subscriptions",
            "Subscription offer / Change or upgrade the offer",
            "Subscription access / Cannot access a subscription",
            "Subscription access / Subscription not visible in the portal",
            "Spending limit / Remove or change the spending limit",
            "Management groups / Move a subscription between management groups",
            "Rename a subscription",
        ],
    },
    Spec {
        display: "Service and subscription limits (quotas)",
        guid: Some(QUOTA_SERVICE),
        kind: Kind::Quota,
        resource_types: &[],
        consent: None,
        issues: &[
            "Compute-VM (cores-vCPUs) subscription limit increases",
            "Batch",
            "SQL Database",
            "Azure Synapse Analytics",
            "Machine Learning service",
            "SQL Managed Instance",
            "Storage: Azure Storage accounts",
            "Networking: Public IP addresses",
            "Networking: ExpressRoute",
            "App Service",
            "Azure Kubernetes Service",
            "Cosmos DB",
            "Azure Cognitive Search",
            "Other quota request",
        ],
    },
    Spec {
        display: "Virtual Machine running Windows",
        guid: Some(VM_WINDOWS_SERVICE),
        kind: Kind::Technical,
        resource_types: &[
            "MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES",
            "MICROSOFT.COMPUTE/VIRTUALMACHINES",
        ],
        consent: Some("VirtualMachine"),
        issues: &[
            "Connectivity / Cannot connect to virtual machine by using RDP or SSH",
            "Connectivity / Intermittent connectivity to the virtual machine",
            "Cannot start or stop my VM / VM fails to start",
            "Cannot start or stop my VM / VM stuck in starting or stopping",
            "VM performance / High CPU or memory usage",
            "VM performance / Disk performance is slow",
            "Windows OS / Blue screen or unexpected restart",
            "Windows OS / Windows Update fails",
            "Backup / Cannot restore a VM from backup",
            "Extensions / VM extension fails to install",
        ],
    },
    Spec {
        display: "Virtual Machine running Linux",
        guid: Some(VM_LINUX_SERVICE),
        kind: Kind::Technical,
        resource_types: &[
            "MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES",
            "MICROSOFT.COMPUTE/VIRTUALMACHINES",
        ],
        consent: Some("VirtualMachine"),
        issues: &[
            "Connectivity / Cannot connect to virtual machine by using RDP or SSH",
            "Connectivity / Intermittent connectivity to the virtual machine",
            "Cannot start or stop my VM / VM fails to start",
            "Cannot start or stop my VM / VM stuck in starting or stopping",
            "VM performance / High CPU or memory usage",
            "VM performance / Disk performance is slow",
            "Linux OS / Kernel panic or VM does not boot",
            "Linux OS / Package update or repository access fails",
            "Backup / Cannot restore a VM from backup",
            "Extensions / VM extension fails to install",
        ],
    },
    Spec {
        display: "Virtual Machine Scale Sets",
        guid: None,
        kind: Kind::Technical,
        resource_types: &["MICROSOFT.COMPUTE/VIRTUALMACHINESCALESETS"],
        consent: Some("VirtualMachine"),
        issues: &[
            "Scaling / Autoscale does not add or remove instances",
            "Scaling / Instances fail to provision",
            "Upgrades / Rolling upgrade fails or stalls",
            "Health / Instances reported unhealthy",
        ],
    },
    tech(
        "Storage Account Management",
        &[
            "MICROSOFT.STORAGE/STORAGEACCOUNTS",
            "MICROSOFT.CLASSICSTORAGE/STORAGEACCOUNTS",
        ],
        &[
            "Create, update or delete a storage account / Cannot create a storage account",
            "Create, update or delete a storage account / Cannot delete a storage account",
            "Access keys / Rotate or regenerate access keys",
            "Networking / Firewall or private endpoint blocks access",
            "Redundancy / Change replication or fail over",
        ],
    ),
    tech(
        "Blob Storage",
        &["MICROSOFT.STORAGE/STORAGEACCOUNTS"],
        &[
            "Data access / Authorization failure (403) on blob requests",
            "Data access / Cannot list or download blobs",
            "Lifecycle management / Policy does not move or delete blobs",
            "Data recovery / Recover deleted blobs or containers",
            "Performance / Slow uploads or downloads",
        ],
    ),
    tech(
        "Azure Files",
        &["MICROSOFT.STORAGE/STORAGEACCOUNTS"],
        &[
            "Connectivity / Cannot mount the file share (SMB or NFS)",
            "Authentication / Active Directory authentication fails",
            "Azure File Sync / Sync errors or files not syncing",
            "Performance / Slow file share access",
        ],
    ),
    tech(
        "Azure SQL Database",
        &["MICROSOFT.SQL/SERVERS", "MICROSOFT.SQL/SERVERS/DATABASES"],
        &[
            "Connectivity / Cannot connect to the database",
            "Connectivity / Transient connection errors or timeouts",
            "Performance / Queries are slow or time out",
            "Performance / High DTU or vCore usage",
            "Backup and restore / Point-in-time restore fails",
            "Geo-replication and failover groups / Failover does not complete",
            "Security / Microsoft Entra authentication to the database fails",
        ],
    ),
    tech(
        "Azure SQL Managed Instance",
        &["MICROSOFT.SQL/MANAGEDINSTANCES"],
        &[
            "Deployment / Instance creation or scaling takes too long",
            "Connectivity / Cannot connect to the managed instance",
            "Migration / Database migration fails",
        ],
    ),
    tech(
        "SQL Server in VM - Windows",
        &["MICROSOFT.SQLVIRTUALMACHINE/SQLVIRTUALMACHINES"],
        &[
            "SQL IaaS Agent extension / Extension fails to register",
            "High availability / Always On availability group issues",
            "Performance / Slow queries on SQL Server in the VM",
        ],
    ),
    tech(
        "Azure Cosmos DB",
        &["MICROSOFT.DOCUMENTDB/DATABASEACCOUNTS"],
        &[
            "Request rate / Requests throttled (429)",
            "Connectivity / SDK cannot connect to the account",
            "Data / Documents missing or query returns wrong results",
            "Backup and restore / Restore a deleted account or container",
            "Throughput / Autoscale or provisioned throughput questions",
        ],
    ),
    tech(
        "Azure Database for PostgreSQL flexible server",
        &["MICROSOFT.DBFORPOSTGRESQL/FLEXIBLESERVERS"],
        &[
            "Connectivity / Cannot connect to the server",
            "Performance / High CPU or slow queries",
            "Upgrade / Major version upgrade fails",
        ],
    ),
    tech(
        "Azure Database for MySQL flexible server",
        &["MICROSOFT.DBFORMYSQL/FLEXIBLESERVERS"],
        &[
            "Connectivity / Cannot connect to the server",
            "Performance / High CPU or slow queries",
            "Replication / Read replica lag",
        ],
    ),
    tech(
        "Web App (Windows)",
        &["MICROSOFT.WEB/SITES"],
        &[
            "Availability, Performance, and Application Issues / Web app down or reporting errors",
            "Availability, Performance, and Application Issues / Web app slow",
            "Deployment / Deployment from source control fails",
            "Configuration and Management / Custom domain or certificate binding",
            "Configuration and Management / Scaling the App Service plan",
        ],
    ),
    tech(
        "Web App (Linux)",
        &["MICROSOFT.WEB/SITES"],
        &[
            "Availability, Performance, and Application Issues / Container fails to start",
            "Availability, Performance, and Application Issues / Web app slow",
            "Deployment / Deployment from a container registry fails",
            "Configuration and Management / App settings or startup command",
        ],
    ),
    tech(
        "App Service",
        &["MICROSOFT.WEB/SERVERFARMS", "MICROSOFT.WEB/SITES"],
        &[
            "App Service plan / Cannot scale up or out",
            "Networking / Virtual network integration fails",
            "Certificates / App Service certificate does not renew",
        ],
    ),
    tech(
        "Function App",
        &["MICROSOFT.WEB/SITES"],
        &[
            "Function execution / Functions not triggering",
            "Function execution / Timeouts or function host errors",
            "Deployment / Deployment or zip deploy fails",
            "Scaling / Cold starts or scale-out is slow",
        ],
    ),
    tech(
        "Azure Kubernetes Service (AKS)",
        &["MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS"],
        &[
            "Create, Upgrade, Scale and Delete operations / Cluster creation fails",
            "Create, Upgrade, Scale and Delete operations / Cluster upgrade fails",
            "Create, Upgrade, Scale and Delete operations / Node pool scaling fails",
            "Connectivity / Cannot reach the API server",
            "Connectivity / Pods cannot reach external services",
            "Node issues / Nodes NotReady",
            "Storage / Persistent volume fails to attach",
        ],
    ),
    tech(
        "Container Instances",
        &["MICROSOFT.CONTAINERINSTANCE/CONTAINERGROUPS"],
        &[
            "Deployment / Container group fails to deploy",
            "Runtime / Container restarts repeatedly",
        ],
    ),
    tech(
        "Container Registry",
        &["MICROSOFT.CONTAINERREGISTRY/REGISTRIES"],
        &[
            "Authentication / docker login fails",
            "Image push or pull / Push or pull fails or is slow",
            "Geo-replication / Replication is delayed",
        ],
    ),
    tech(
        "Virtual Network",
        &[
            "MICROSOFT.NETWORK/VIRTUALNETWORKS",
            "MICROSOFT.CLASSICNETWORK/VIRTUALNETWORKS",
        ],
        &[
            "Connectivity / Cannot connect between virtual networks (peering)",
            "Connectivity / Network security group blocks traffic",
            "Configuration / Cannot change address space or subnets",
            "DNS / Name resolution fails inside the virtual network",
        ],
    ),
    tech(
        "Load Balancer",
        &["MICROSOFT.NETWORK/LOADBALANCERS"],
        &[
            "Connectivity / Backend pool members not receiving traffic",
            "Health probes / Probe marks healthy instances down",
            "Outbound / SNAT port exhaustion",
        ],
    ),
    tech(
        "Application Gateway",
        &["MICROSOFT.NETWORK/APPLICATIONGATEWAYS"],
        &[
            "Backend health / Backend shows unhealthy (502 errors)",
            "Web application firewall / WAF blocks legitimate requests",
            "Certificates / TLS certificate or Key Vault integration issue",
        ],
    ),
    tech(
        "VPN Gateway",
        &["MICROSOFT.NETWORK/VIRTUALNETWORKGATEWAYS"],
        &[
            "Site-to-site VPN / Tunnel does not connect",
            "Site-to-site VPN / Tunnel disconnects intermittently",
            "Point-to-site VPN / Clients cannot connect",
        ],
    ),
    tech(
        "ExpressRoute",
        &["MICROSOFT.NETWORK/EXPRESSROUTECIRCUITS"],
        &[
            "Circuit provisioning / Circuit stuck in provisioning",
            "Connectivity / BGP session down",
            "Performance / Packet loss or high latency over the circuit",
        ],
    ),
    tech(
        "Azure DNS",
        &["MICROSOFT.NETWORK/DNSZONES", "MICROSOFT.NETWORK/PRIVATEDNSZONES"],
        &[
            "Zones and records / Records not resolving",
            "Private DNS / Private zone not linked or not resolving",
        ],
    ),
    tech(
        "Azure Front Door",
        &["MICROSOFT.CDN/PROFILES", "MICROSOFT.NETWORK/FRONTDOORS"],
        &[
            "Routing / Requests not reaching the origin",
            "Custom domains / Domain validation or certificate fails",
            "Caching / Content not cached or not purged",
        ],
    ),
    tech(
        "Key Vault",
        &["MICROSOFT.KEYVAULT/VAULTS"],
        &[
            "Access / Access denied to secrets, keys or certificates",
            "Certificates / Certificate does not renew automatically",
            "Recovery / Recover a deleted vault or secret",
        ],
    ),
    tech(
        "Microsoft Entra ID",
        &[],
        &[
            "Sign-in / Users cannot sign in",
            "Multifactor authentication / MFA prompts fail or loop",
            "Conditional Access / Policy blocks expected access",
            "Applications / App registration or consent problems",
            "Synchronization / Entra Connect sync errors",
        ],
    ),
    tech(
        "Azure Monitor",
        &[
            "MICROSOFT.INSIGHTS/COMPONENTS",
            "MICROSOFT.OPERATIONALINSIGHTS/WORKSPACES",
        ],
        &[
            "Log Analytics / Data not arriving in the workspace",
            "Alerts / Alert rule does not fire",
            "Application Insights / Telemetry missing",
        ],
    ),
    tech(
        "Azure Backup",
        &["MICROSOFT.RECOVERYSERVICES/VAULTS"],
        &[
            "Backup failures / Scheduled backup fails",
            "Restore / Restore job fails",
            "Vault management / Cannot delete the Recovery Services vault",
        ],
    ),
    tech(
        "Azure Site Recovery",
        &["MICROSOFT.RECOVERYSERVICES/VAULTS"],
        &[
            "Replication / Replication health is critical",
            "Failover / Test failover or failover fails",
        ],
    ),
    tech(
        "Azure Data Factory",
        &["MICROSOFT.DATAFACTORY/FACTORIES"],
        &[
            "Pipeline runs / Pipeline fails",
            "Integration runtime / Self-hosted integration runtime offline",
            "Connectors / Copy activity fails for a connector",
        ],
    ),
    tech(
        "Data Explorer",
        &["MICROSOFT.KUSTO/CLUSTERS", "MICROSOFT.KUSTO/DATABASES"],
        &["Ingestion / Data not ingested", "Query / Queries slow or failing"],
    ),
    tech(
        "Azure Synapse Analytics",
        &["MICROSOFT.SYNAPSE/WORKSPACES"],
        &[
            "Dedicated SQL pool / Queries slow or failing",
            "Spark pools / Spark job fails",
        ],
    ),
    tech(
        "Azure Databricks",
        &["MICROSOFT.DATABRICKS/WORKSPACES"],
        &["Clusters / Cluster fails to start", "Jobs / Job run fails"],
    ),
    tech(
        "Event Hubs",
        &["MICROSOFT.EVENTHUB/NAMESPACES"],
        &[
            "Send and receive / Clients cannot send or receive events",
            "Throughput / Throttling or server busy errors",
        ],
    ),
    tech(
        "Service Bus",
        &["MICROSOFT.SERVICEBUS/NAMESPACES"],
        &[
            "Messaging / Messages not delivered or moved to dead letter",
            "Connectivity / Clients cannot connect to the namespace",
        ],
    ),
    tech(
        "Azure Cache for Redis",
        &["MICROSOFT.CACHE/REDIS"],
        &[
            "Connectivity / Timeouts connecting to the cache",
            "Performance / High server load or memory pressure",
        ],
    ),
    tech(
        "API Management",
        &["MICROSOFT.APIMANAGEMENT/SERVICE"],
        &[
            "Gateway / API calls fail through the gateway",
            "Developer portal / Portal not publishing",
        ],
    ),
    tech(
        "Azure Machine Learning",
        &["MICROSOFT.MACHINELEARNINGSERVICES/WORKSPACES"],
        &[
            "Compute / Compute instance or cluster fails",
            "Endpoints / Online endpoint deployment fails",
        ],
    ),
    tech(
        "Azure OpenAI Service",
        &["MICROSOFT.COGNITIVESERVICES/ACCOUNTS"],
        &[
            "Access / Request access or quota for a model",
            "API errors / Requests return errors or are throttled",
            "Content filtering / Content filter blocks a request",
        ],
    ),
];

impl Catalogue {
    /// The built-in catalogue.
    pub fn builtin() -> Catalogue {
        let services = SPECS.iter().map(build).collect();
        Catalogue::of(services)
    }

    fn of(services: Vec<CatalogueService>) -> Catalogue {
        let by_name = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.to_ascii_lowercase(), i))
            .collect();
        Catalogue { services, by_name }
    }

    /// Every service, in catalogue order.
    pub fn services(&self) -> &[CatalogueService] {
        &self.services
    }

    /// How many classifications all services have together.
    pub fn classification_count(&self) -> usize {
        self.services.iter().map(|s| s.classifications.len()).sum()
    }

    /// The service named `name` (a GUID in any case, or an example placeholder).
    pub fn service(&self, name: &str) -> Option<&CatalogueService> {
        let name = name.trim().to_ascii_lowercase();
        let real = PLACEHOLDERS
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(&name))
            .map_or(name.as_str(), |(_, real)| real);
        self.by_name.get(real).map(|&i| &self.services[i])
    }

    /// The classification `pc` of `service`; under an example placeholder service, an unknown
    /// `..._guid` placeholder stands for the service's first classification (cores for quotas).
    pub fn classification<'a>(
        &'a self,
        service: &str,
        pc: &str,
    ) -> Option<(&'a CatalogueService, &'a Classification)> {
        let s = self.service(service)?;
        if let Some(c) = s
            .classifications
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(pc.trim()))
        {
            return Some((s, c));
        }
        let placeholder = PLACEHOLDERS
            .iter()
            .any(|(p, _)| p.eq_ignore_ascii_case(service.trim()))
            && pc.to_ascii_lowercase().ends_with("_guid");
        if !placeholder {
            return None;
        }
        let wanted = if pc.to_ascii_lowercase().starts_with("cores") {
            QUOTA_CORES_CLASSIFICATION
        } else {
            ""
        };
        let c = s
            .classifications
            .iter()
            .find(|c| c.name == wanted)
            .or_else(|| s.classifications.first())?;
        Some((s, c))
    }

    /// Adds `services` synthetic technical services of `per_service` classifications each
    /// (benches); their names continue from those added before, so repeated calls add more.
    pub fn add_synthetic(&mut self, services: usize, per_service: usize) -> (usize, usize) {
        let start = self.services.len();
        for n in start..start + services {
            let display = format!("Sandbox bench service {n:05}");
            let classifications = (0..per_service)
                .map(|k| {
                    let display = format!("Bench area {} / Bench issue {k:04}", k % 10);
                    Classification {
                        name: derived_guid(&format!("pc:bench:{n}:{k}")),
                        display,
                        secondary_consent: Vec::new(),
                    }
                })
                .collect();
            self.services.push(CatalogueService {
                name: derived_guid(&format!("service:bench:{n}")),
                display,
                resource_types: Vec::new(),
                kind: Kind::Technical,
                classifications,
            });
        }
        let services = std::mem::take(&mut self.services);
        *self = Catalogue::of(services);
        (self.services.len(), self.classification_count())
    }
}

fn build(spec: &Spec) -> CatalogueService {
    let name = spec.guid.map_or_else(
        || derived_guid(&format!("service:{}", spec.display)),
        str::to_string,
    );
    let mut issues: Vec<&str> = spec.issues.to_vec();
    if spec.kind == Kind::Technical {
        issues.extend_from_slice(TECHNICAL_COMMON);
    }
    let classifications = issues
        .iter()
        .map(|display| {
            let name = if spec.kind == Kind::Quota && display.starts_with("Compute-VM") {
                QUOTA_CORES_CLASSIFICATION.to_string()
            } else {
                derived_guid(&format!("pc:{}:{display}", spec.display))
            };
            // Crash and performance issues are where engineers ask for memory dumps.
            let dumps = display.contains("performance")
                || display.contains("Blue screen")
                || display.contains("panic");
            let secondary_consent = match spec.consent {
                Some(t) if dumps => vec![t.to_string()],
                _ => Vec::new(),
            };
            Classification {
                name,
                display: display.to_string(),
                secondary_consent,
            }
        })
        .collect();
    CatalogueService {
        name,
        display: spec.display.to_string(),
        resource_types: spec.resource_types.iter().map(|s| s.to_string()).collect(),
        kind: spec.kind,
        classifications,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_carry_the_names_people_know_them_by() {
        let c = Catalogue::builtin();
        let names: Vec<&str> = c.services().iter().map(|s| s.display.as_str()).collect();
        for known in [
            "App Service",
            "Service Bus",
            "Azure Kubernetes Service (AKS)",
            "Virtual Machine running Linux",
        ] {
            assert!(names.contains(&known), "{known} missing from {names:?}");
        }
    }

    #[test]
    fn big_enough_stable_and_unique() {
        let c = Catalogue::builtin();
        assert!(c.services().len() >= 30, "{}", c.services().len());
        assert!(c.classification_count() >= 300, "{}", c.classification_count());
        let again = Catalogue::builtin();
        let ids: Vec<_> = c.services().iter().map(CatalogueService::id).collect();
        assert_eq!(
            ids,
            again
                .services()
                .iter()
                .map(CatalogueService::id)
                .collect::<Vec<_>>()
        );
        let mut all: Vec<&str> = c
            .services()
            .iter()
            .flat_map(|s| {
                std::iter::once(s.name.as_str()).chain(s.classifications.iter().map(|p| p.name.as_str()))
            })
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "duplicate GUIDs");
        assert!(
            c.services()
                .iter()
                .any(|s| s.classifications.iter().any(|p| !p.secondary_consent.is_empty()))
        );
    }

    #[test]
    fn placeholders_resolve() {
        let c = Catalogue::builtin();
        assert_eq!(c.service("billing_service_guid").unwrap().name, BILLING_SERVICE);
        let (s, pc) = c
            .classification("quota_service_guid", "cores_problemClassification_guid")
            .unwrap();
        assert_eq!(
            (s.name.as_str(), pc.name.as_str()),
            (QUOTA_SERVICE, QUOTA_CORES_CLASSIFICATION)
        );
        assert!(
            c.classification(BILLING_SERVICE, "problemClassification_guid")
                .is_none()
        );
        assert!(c.service(&VM_LINUX_SERVICE.to_uppercase()).is_some());
    }
}
