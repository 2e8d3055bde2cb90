-- One database and one role per service, as `make run` creates them
-- (internal/devstack). Development passwords only: PostgreSQL runs on the
-- compose network and is not published.
CREATE ROLE identity LOGIN PASSWORD 'identity-dev';
CREATE ROLE catalog LOGIN PASSWORD 'catalog-dev';
CREATE ROLE cart LOGIN PASSWORD 'cart-dev';
CREATE ROLE orders LOGIN PASSWORD 'orders-dev';
CREATE DATABASE identity OWNER identity;
CREATE DATABASE catalog OWNER catalog;
CREATE DATABASE cart OWNER cart;
CREATE DATABASE orders OWNER orders;
