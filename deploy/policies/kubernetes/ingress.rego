# Ingresses name their class and a host per rule; outside development they
# serve TLS for every host through cert-manager and publish the hosts
# through ExternalDNS (on that Ingress or another of the same host).
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
	not has_issuer(obj)
	not serves_issued_certificates(obj)
	msg := sprintf("%s: TLS needs a cert-manager.io/cluster-issuer (or issuer) annotation", [lib.id(obj)])
}

deny contains msg if {
	some obj in ingresses
	not lib.development(obj)
	object.get(obj.metadata, ["annotations", "external-dns.kubernetes.io/hostname"], "") == ""
	not hosts_published_elsewhere(obj)
	msg := sprintf("%s: the external-dns.kubernetes.io/hostname annotation is missing", [lib.id(obj)])
}

# Several Ingresses of one host (the edge guards each kind of path on its
# own, docs/edge.md) share one certificate and one record: cert-manager
# issues the Secret from the Ingress that names the issuer, ExternalDNS
# publishes the host from the one that names it. The others pass when
# every Secret they serve and every host they route is covered so.
has_issuer(obj) if obj.metadata.annotations["cert-manager.io/cluster-issuer"]

has_issuer(obj) if obj.metadata.annotations["cert-manager.io/issuer"]

issued_secrets contains [obj.metadata.namespace, t.secretName] if {
	some obj in ingresses
	has_issuer(obj)
	some t in object.get(obj.spec, "tls", [])
}

serves_issued_certificates(obj) if {
	tls := object.get(obj.spec, "tls", [])
	count(tls) > 0
	every t in tls {
		[obj.metadata.namespace, t.secretName] in issued_secrets
	}
}

published_hosts contains [obj.metadata.namespace, trim_space(host)] if {
	some obj in ingresses
	value := object.get(obj.metadata, ["annotations", "external-dns.kubernetes.io/hostname"], "")
	value != ""
	some host in split(value, ",")
}

hosts_published_elsewhere(obj) if {
	rules := object.get(obj.spec, "rules", [])
	count(rules) > 0
	every r in rules {
		[obj.metadata.namespace, r.host] in published_hosts
	}
}
