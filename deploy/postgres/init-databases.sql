-- One database per service (database-per-service), created on the container's first start.
CREATE DATABASE auth;
CREATE DATABASE ml;
CREATE DATABASE monitoring;
CREATE DATABASE chatops;
