# An exception names a rule (without its deny_ prefix): its failures become
# one exception.
package fixture.excepted

deny_label contains "never reported: excepted" if true

exception contains rules if rules := {"label"}
