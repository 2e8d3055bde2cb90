package apperr

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

// Body is the JSON error every REST endpoint returns.
type Body struct {
	// Code is the canonical name, e.g. "INVALID_ARGUMENT", "NOT_FOUND".
	Code      string           `json:"code"`
	Message   string           `json:"message"`
	Fields    []FieldViolation `json:"fields,omitempty"`
	RequestID string           `json:"requestId,omitempty"`
}

// BodyOf renders a status as the JSON error body.
func BodyOf(ctx context.Context, st *status.Status) Body {
	b := Body{Code: code.Code(st.Code()).String(), Message: st.Message(), Fields: FieldsOf(st),
		RequestID: requestid.FromContext(ctx)}
	if st.Code() == codes.InvalidArgument && len(b.Fields) == 0 {
		b.Fields = gatewayFields(st.Message())
	}
	return b
}

// WriteHTTP writes err as a JSON error with the matching HTTP status.
func WriteHTTP(w http.ResponseWriter, r *http.Request, err error) {
	st := ToStatus(err)
	WriteHTTPStatus(w, r, runtime.HTTPStatusFromCode(st.Code()), st)
}

// WriteHTTPStatus writes st as the JSON error body with an explicit HTTP
// status, for the few cases the gRPC mapping cannot express (413).
func WriteHTTPStatus(w http.ResponseWriter, r *http.Request, httpStatus int, st *status.Status) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus)
	_ = json.NewEncoder(w).Encode(BodyOf(r.Context(), st))
}

// RESTErrorHandler is the REST facade's (grpc-gateway) error handler: same body as WriteHTTP.
func RESTErrorHandler(_ context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	WriteHTTP(w, r, err)
}

// The gateway rejects bad JSON, unknown fields and unparsable parameters
// before our handlers run; these patterns recover the field it names.
var gatewayFieldPatterns = []*regexp.Regexp{
	regexp.MustCompile(`unknown field "([A-Za-z0-9_]+)"`),
	regexp.MustCompile(`parsing field "([A-Za-z0-9_.]+)"`),
	regexp.MustCompile(`parameter: ([A-Za-z0-9_.]+)`),
	regexp.MustCompile(`invalid value for [a-z0-9 ]+ field ([A-Za-z0-9_]+)`),
	regexp.MustCompile(`invalid value for [a-z0-9 ]+ type: "([A-Za-z0-9_]+)"`),
}

func gatewayFields(msg string) []FieldViolation {
	for _, re := range gatewayFieldPatterns {
		if m := re.FindStringSubmatch(msg); m != nil {
			return []FieldViolation{{Field: lowerCamel(m[1]), Reason: msg}}
		}
	}
	if strings.Contains(msg, "syntax error") || strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "unexpected token") {
		return []FieldViolation{{Field: "body", Reason: "malformed JSON: " + msg}}
	}
	return nil
}

// lowerCamel turns a proto field path (page_size, price.amount_minor) into the
// JSON names clients use (pageSize, price.amountMinor).
func lowerCamel(path string) string {
	var b strings.Builder
	upper := false
	for _, r := range path {
		switch {
		case r == '_':
			upper = true
		case upper:
			b.WriteString(strings.ToUpper(string(r)))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
