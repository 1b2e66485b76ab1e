//! Resource quantities: `milli` never panics, and neither does the arithmetic the fit check
//! does with them (sums over containers, free capacity, printing).
#![no_main]

use k8s_openapi::api::core::v1::{Container, Node, NodeStatus, PodSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kubectl_ds::engine::fit;
use libfuzzer_sys::fuzz_target;

fn container(name: &str, resource: &str, quantity: &Quantity) -> Container {
    Container {
        name: name.to_string(),
        resources: Some(ResourceRequirements {
            requests: Some([(resource.to_string(), quantity.clone())].into()),
            limits: Some([(resource.to_string(), quantity.clone())].into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let quantity = Quantity(text.to_string());
    let value = fit::milli(&quantity);
    for resource in ["cpu", "memory", "ephemeral-storage", "pods", "nvidia.com/gpu"] {
        if let Some(milli) = value {
            let _ = fit::format_amount(resource, milli);
        }
        // Two containers, an init container and overhead asking for it, on a node offering it.
        let spec = PodSpec {
            containers: vec![container("a", resource, &quantity), container("b", resource, &quantity)],
            init_containers: Some(vec![container("init", resource, &quantity)]),
            overhead: Some([(resource.to_string(), quantity.clone())].into()),
            ..Default::default()
        };
        let _ = fit::pod_requests(&spec);
        let node = Node {
            metadata: Default::default(),
            spec: None,
            status: Some(NodeStatus {
                allocatable: Some([(resource.to_string(), quantity.clone())].into()),
                capacity: Some([(resource.to_string(), quantity.clone())].into()),
                ..Default::default()
            }),
        };
        let check = fit::evaluate_fit(&spec, &node, None);
        let _ = format!("{check:?}");
        let _ = fit::check_fit(&spec, &node, None);
    }
});
