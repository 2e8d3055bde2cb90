# Ingresses name their class and a host per rule; outside development they
# serve TLS for every host through cert-manager and publish the hosts
# through ExternalDNS.
package shipshape.ingress

import data.shipshape.lib

ingresses contains obj if {
	some obj in lib.objects
	obj.kind == "Ingress"
}

deny contains msg if {
	some obj in ingresses
	not obj.spec.ingressClassName
	msg := sprintf("%s: spec.ingressClassName is missing", [lib.id(obj)])
}

deny contains msg if {
	some obj in ingresses
	some rule in obj.spec.rules
	not rule.host
	msg := sprintf("%s: every rule needs a host", [lib.id(obj)])
}

deny contains msg if {
	some obj in ingresses
	not lib.development(obj)
	some rule in obj.spec.rules
	not rule.host in {h | some t in object.get(obj.spec, "tls", []); some h in t.hosts}
	msg := sprintf("%s: host %s has no TLS entry", [lib.id(obj), rule.host])
}

deny contains msg if {
	some obj in ingresses
	not lib.development(obj)
	annotations := object.get(obj.metadata, "annotations", {})
	not annotations["cert-manager.io/cluster-issuer"]
	not annotations["cert-manager.io/issuer"]
	msg := sprintf("%s: TLS needs a cert-manager.io/cluster-issuer (or issuer) annotation", [lib.id(obj)])
}

deny contains msg if {
	some obj in ingresses
	not lib.development(obj)
	object.get(obj.metadata, ["annotations", "external-dns.alpha.kubernetes.io/hostname"], "") == ""
	msg := sprintf("%s: the external-dns.alpha.kubernetes.io/hostname annotation is missing", [lib.id(obj)])
}
